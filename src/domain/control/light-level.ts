import { fallbackValue } from '../safety/apply-safety.js';
import type { SafetyContext } from '../safety/context.js';
import type { DeviceRecord } from '../safety/device-record.js';
import type { OutputTarget } from '../setpoints/encoded.js';

/**
 * Level a light runs at now, %, for an occupancy event: the value of ours in force, else its
 * schedule's. A device handed back runs its own schedule, which may have changed since the
 * hand-back (a gym's lights off after closing time): its last recorded value would hide that.
 */
export function lightLevelNowPct(
  record: DeviceRecord,
  ctx: SafetyContext,
  target: OutputTarget,
  nowMs: number,
): number {
  const last = record.lastValue;
  if (!record.handedBack && last?.kind === 'lighting') return last.levelPct;
  const fb = fallbackValue(ctx, target, nowMs);
  return fb.kind === 'lighting' ? fb.levelPct : 0;
}

/** Level a light runs at as its controller last reported it, else as last commanded; for daylight sums. */
export function runningLevelPct(record: DeviceRecord): number | undefined {
  const reported = record.reportedValue;
  if (reported && 'levelPct' in reported && typeof reported.levelPct === 'number') return reported.levelPct;
  return record.lastValue?.kind === 'lighting' ? record.lastValue.levelPct : undefined;
}
