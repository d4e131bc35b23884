import { DateTime } from 'luxon';
import type { JobTiming } from './job-timing.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** The first time strictly after `afterMs` at which a job with this timing is due. */
export function nextRunAfter(timing: JobTiming, afterMs: number): number {
  if ('everySeconds' in timing) {
    const periodMs = timing.everySeconds * SECOND_MS;
    return (Math.floor(afterMs / periodMs) + 1) * periodMs;
  }
  if ('everyMinutes' in timing) {
    const periodMs = timing.everyMinutes * MINUTE_MS;
    const offsetMs = (timing.atSecond ?? 0) * SECOND_MS;
    return (Math.floor((afterMs - offsetMs) / periodMs) + 1) * periodMs + offsetMs;
  }
  const [hour, minute] = parseTimeOfDay(timing.dailyAt);
  const local = DateTime.fromMillis(afterMs, { zone: timing.timezone });
  let candidate = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= afterMs) candidate = candidate.plus({ days: 1 });
  return candidate.toMillis();
}

/** The node-cron expression (with seconds) that fires at the same instants as `timing`. */
export function cronExpression(timing: JobTiming): { expression: string; timezone?: string } {
  if ('everySeconds' in timing) {
    requireDivisorOf60(timing.everySeconds, 'everySeconds');
    return { expression: `*/${timing.everySeconds} * * * * *` };
  }
  if ('everyMinutes' in timing) {
    const second = timing.atSecond ?? 0;
    if (timing.everyMinutes === 60) return { expression: `${second} 0 * * * *` };
    requireDivisorOf60(timing.everyMinutes, 'everyMinutes');
    return { expression: `${second} */${timing.everyMinutes} * * * *` };
  }
  const [hour, minute] = parseTimeOfDay(timing.dailyAt);
  return { expression: `0 ${minute} ${hour} * * *`, timezone: timing.timezone };
}

// Cron steps restart at each minute/hour, so only divisors of 60 give an even period.
function requireDivisorOf60(n: number, field: string): void {
  if (!Number.isInteger(n) || n <= 0 || 60 % n !== 0) {
    throw new Error(`${field} must be a whole divisor of 60, got ${n}`);
  }
}

function parseTimeOfDay(text: string): [number, number] {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`dailyAt must be "HH:MM", got ${JSON.stringify(text)}`);
  return [Number(match[1]), Number(match[2])];
}
