/**
 * A coarse non-routine-change check for a predicted period: the building's load moved away from
 * what the baseline model expects, persistently, in one direction. Monthly NMBE (observed minus
 * predicted, over the month's observed energy) beyond `threshold` with the same sign for at least
 * `minMonths` consecutive months flags the period. This only marks the benchmark table; the M&V code
 * owns the real detection and the operator's event records.
 */
export interface LevelShiftResult {
  readonly flagged: boolean;
  /** Monthly relative bias in the period, in order (fraction; NaN for months without data). */
  readonly monthlyBias: number[];
  readonly longestRun: number;
}

export function levelShiftCheck(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  monthKeys: ArrayLike<number>,
  threshold = 0.3,
  minMonths = 3,
): LevelShiftResult {
  const order: number[] = [];
  const sums = new Map<number, { err: number; obs: number }>();
  for (let i = 0; i < observed.length; i++) {
    const y = observed[i] ?? Number.NaN;
    const p = predicted[i] ?? Number.NaN;
    if (Number.isNaN(y) || Number.isNaN(p)) continue;
    const k = monthKeys[i] ?? 0;
    let s = sums.get(k);
    if (!s) {
      s = { err: 0, obs: 0 };
      sums.set(k, s);
      order.push(k);
    }
    s.err += y - p;
    s.obs += y;
  }
  order.sort((a, b) => a - b);
  const monthlyBias = order.map((k) => {
    const s = sums.get(k);
    return s && s.obs > 0 ? s.err / s.obs : Number.NaN;
  });
  let run = 0;
  let sign = 0;
  let longest = 0;
  for (const b of monthlyBias) {
    const sg = Math.abs(b) > threshold ? Math.sign(b) : 0;
    run = sg !== 0 && sg === sign ? run + 1 : sg !== 0 ? 1 : 0;
    sign = sg;
    longest = Math.max(longest, run);
  }
  return { flagged: longest >= minMonths, monthlyBias, longestRun: longest };
}
