/**
 * Known non-routine events recorded by an operator. Savings are only what the control changed; a
 * renovation, a new tenant or changed opening hours change the load too, and must either be taken
 * out of the comparison or added to the baseline.
 */
export type NonRoutineEvent = ExcludePeriod | BaselineAdjustment;

/** Hours in [fromMs, toMs) are left out of both the baseline fit and the reporting sums. */
export interface ExcludePeriod {
  readonly kind: 'exclude';
  readonly fromMs: number;
  readonly toMs: number;
  readonly note: string;
}

/**
 * From `fromMs` (until `toMs`, if given) the adjusted baseline changes by a share of itself and/or a
 * fixed energy per hour: e.g. opening hours extended by two hours a day (+8 %), or a new lift
 * (+1.5 kWh per hour). Positive values raise the baseline.
 */
export interface BaselineAdjustment {
  readonly kind: 'adjust';
  readonly fromMs: number;
  readonly toMs?: number;
  readonly shareOfBaseline?: number;
  readonly kWhPerHour?: number;
  readonly note: string;
}

function covers(e: { fromMs: number; toMs?: number }, tsMs: number): boolean {
  return tsMs >= e.fromMs && (e.toMs === undefined || tsMs < e.toMs);
}

/** true for each hour that an exclusion covers. */
export function excludedHours(tsMs: readonly number[], events: readonly NonRoutineEvent[]): boolean[] {
  const exclusions = events.filter((e): e is ExcludePeriod => e.kind === 'exclude');
  return tsMs.map((t) => exclusions.some((e) => covers(e, t)));
}

/** Energy with excluded hours set to null (missing), so no fit or sum uses them. */
export function withExclusions(
  tsMs: readonly number[],
  kWh: readonly (number | null)[],
  events: readonly NonRoutineEvent[],
): (number | null)[] {
  const excluded = excludedHours(tsMs, events);
  return kWh.map((v, i) => (excluded[i] ? null : v));
}

/** The model's baseline plus the adjustments in force at each hour (shares applied first, then kWh). */
export function adjustBaseline(
  tsMs: readonly number[],
  baselineKWh: readonly number[],
  events: readonly NonRoutineEvent[],
): number[] {
  const adjustments = events.filter((e): e is BaselineAdjustment => e.kind === 'adjust');
  return baselineKWh.map((b, i) => {
    const t = tsMs[i] as number;
    let share = 0;
    let add = 0;
    for (const e of adjustments) {
      if (!covers(e, t)) continue;
      share += e.shareOfBaseline ?? 0;
      add += e.kWhPerHour ?? 0;
    }
    return b * (1 + share) + add;
  });
}
