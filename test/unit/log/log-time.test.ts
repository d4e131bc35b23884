import { Writable } from 'node:stream';
import pino from 'pino';
import pretty from 'pino-pretty';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { LogTime } from '../../../src/adapters/log/log-time.js';
import { createRootLogger, prettyOptions } from '../../../src/adapters/log/root-logger.js';

/** A destination that keeps what it is given, line by line. */
function sink(): Writable & { lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return Object.assign(stream, { lines });
}

const SIMULATED_MS = Date.parse('2026-07-06T02:15:00Z');
const WALL_MS = Date.parse('2026-12-03T00:40:00.123Z');

describe('log timestamps', () => {
  it('under a simulated clock, time is the service clock and wallTime the wall clock', () => {
    const out = sink();
    const clock = new ManualClock(SIMULATED_MS);
    const time = new LogTime(() => WALL_MS);
    const log = createRootLogger({ level: 'info', destination: out, time });
    log.info('before the clock exists');
    time.follow(() => clock.now());
    log.info({ space: 'lobby' }, 'plan');
    clock.advance(15 * 60_000);
    log.child({ component: 'control' }).warn('later');
    const [before, plan, later] = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(before).toMatchObject({ time: WALL_MS, msg: 'before the clock exists' });
    expect(before).not.toHaveProperty('wallTime');
    expect(plan).toMatchObject({ time: SIMULATED_MS, wallTime: '2026-12-03T00:40:00.123Z', space: 'lobby' });
    expect(later).toMatchObject({ time: SIMULATED_MS + 15 * 60_000, wallTime: '2026-12-03T00:40:00.123Z' });
  });

  it('under the system clock, lines are as pino writes them: wall time, no second field', () => {
    const out = sink();
    const log = createRootLogger({ level: 'info', destination: out });
    const fromMs = Date.now();
    log.info('hello');
    const line = JSON.parse(out.lines[0] ?? '') as { time: number };
    expect(line.time).toBeGreaterThanOrEqual(fromMs);
    expect(line.time).toBeLessThanOrEqual(Date.now());
    expect(line).not.toHaveProperty('wallTime');
  });

  it('stays quiet at info level', () => {
    const out = sink();
    const log = createRootLogger({ level: 'info', destination: out, time: new LogTime() });
    log.debug('not shown');
    expect(out.lines).toEqual([]);
  });
});

describe('terminal lines', () => {
  it('one event is one line, its fields on it; the wall time is left to the JSON lines', () => {
    const out = sink();
    const stream = pretty({ ...prettyOptions(true), colorize: false, destination: out, sync: true });
    const time = new LogTime(() => WALL_MS);
    time.follow(() => SIMULATED_MS);
    const log = pino({ level: 'info', timestamp: time.timestamp, base: { service: 'quietwatt' } }, stream);
    log.info({ space: 'site/lobby', devices: { lights: 40, hvac: 'auto' } }, 'plan lobby');
    log.warn({ device: 'site/lobby/lights', reason: 'payload is not JSON' }, 'state report rejected');
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatch(
      /^\[2026-07-0\d \d\d:\d\d:00\] INFO: plan lobby \{.*"space":"site\/lobby".*"lights":40/,
    );
    expect(out.lines[1]).toContain('WARN: state report rejected');
    expect(out.lines.join('\n')).not.toContain('wallTime');
  });
});
