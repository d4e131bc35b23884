import { z } from 'zod';
import type { MeterActivity } from '../../ports/control-inputs.js';
import type { KeyValueStore } from '../../ports/stores.js';

export type MeterCheck = 'responded' | 'silent' | 'no-meter';

/** The recorded result of a commissioning check (settings store, `control.commissioning.<device key>`). */
export const CommissioningResult = z.object({
  passed: z.boolean(),
  atMs: z.number(),
  setpointId: z.string().optional(),
  stateReport: z.boolean(),
  meter: z.enum(['responded', 'silent', 'no-meter']),
  detail: z.string(),
  /** Lights at 100 % at the space's illuminance sensor, lx, measured by the check (lighting only). */
  fullOutputLux: z.number().optional(),
});
export type CommissioningResult = z.infer<typeof CommissioningResult>;

/** A check in progress: the command sent, what is awaited, and who waits for the result. */
export interface PendingCheck {
  readonly setpointId: string;
  readonly sentAtMs: number;
  /** Accepted readings per meter when the command went out. */
  readonly meterBaseline: ReadonlyMap<string, number>;
  stateSeen: boolean;
  stateSeenAtMs?: number;
  /** Illuminance measurement: the reading before the command and the level step it made. */
  readonly lux?: { readonly beforeLux: number; readonly fromPct: number; readonly toPct: number };
  readonly waiters: ((result: CommissioningResult) => void)[];
}

export function commissioningKey(deviceKey: string): string {
  return `control.commissioning.${deviceKey}`;
}

export function overrideKey(deviceKey: string): string {
  return `control.override.${deviceKey}`;
}

export function loadCommissioning(
  settings: KeyValueStore,
  deviceKey: string,
): CommissioningResult | undefined {
  const raw = settings.get(commissioningKey(deviceKey));
  if (raw === undefined) return undefined;
  try {
    const parsed = CommissioningResult.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Smallest level step that gives a usable full-output measurement, points. */
export const MIN_LUX_STEP_PCT = 20;

/**
 * Full-output illuminance from a level step: the change in reading over the change in level,
 * scaled to 100 %. Undefined for a step too small or a reading that did not rise.
 */
export function fullOutputLuxOf(lux: NonNullable<PendingCheck['lux']>, afterLux: number): number | undefined {
  const step = lux.toPct - lux.fromPct;
  if (step < MIN_LUX_STEP_PCT) return undefined;
  const value = ((afterLux - lux.beforeLux) / step) * 100;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function meterBaseline(
  meters: MeterActivity | undefined,
  meterIds: readonly string[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of meterIds) out.set(id, meters?.meter(id)?.accepted ?? 0);
  return out;
}

/** The meter "responds" when any of the device's meters has delivered a reading since the command. */
export function meterCheck(pending: PendingCheck, meters: MeterActivity | undefined): MeterCheck {
  if (pending.meterBaseline.size === 0) return 'no-meter';
  for (const [id, before] of pending.meterBaseline) {
    if ((meters?.meter(id)?.accepted ?? 0) > before) return 'responded';
  }
  return 'silent';
}

/**
 * Passed once the controller has confirmed the command in a state report and the meter has
 * responded; failed when either is still missing after the timeout. Undefined while waiting.
 */
export function evaluateCheck(
  pending: PendingCheck,
  meters: MeterActivity | undefined,
  nowMs: number,
  timeoutMs: number,
): CommissioningResult | undefined {
  const meter = meterCheck(pending, meters);
  const meterOk = meter !== 'silent';
  if (pending.stateSeen && meterOk) {
    return {
      passed: true,
      atMs: nowMs,
      setpointId: pending.setpointId,
      stateReport: true,
      meter,
      detail:
        meter === 'no-meter'
          ? 'state report confirmed; no meter to check'
          : 'state report and meter confirmed',
    };
  }
  if (nowMs - pending.sentAtMs < timeoutMs) return undefined;
  const missing = [pending.stateSeen ? '' : 'no state report', meterOk ? '' : 'meter silent'].filter(Boolean);
  return {
    passed: false,
    atMs: nowMs,
    setpointId: pending.setpointId,
    stateReport: pending.stateSeen,
    meter,
    detail: `${missing.join(' and ')} within ${Math.round(timeoutMs / 1000)} s`,
  };
}
