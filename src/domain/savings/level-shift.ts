/** The largest step in the mean of a sequence, found by trying every split point. */
export interface LevelShift {
  /** Index of the first value after the step. */
  readonly splitIndex: number;
  readonly meanBefore: number;
  readonly meanAfter: number;
  /** meanAfter - meanBefore. */
  readonly step: number;
  /** Welch t statistic of the step (step over its standard error from the spread in each segment). */
  readonly t: number;
}

function meanVar(v: readonly number[]): { mean: number; variance: number } {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const variance = v.length > 1 ? v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1) : 0;
  return { mean, variance };
}

/**
 * Tries every split leaving at least `minSegment` values on each side and returns the one with the
 * largest |t|. A floor on the standard error (`minSe`) keeps two very flat segments from producing
 * an absurd t out of a tiny step. Null when the sequence is too short.
 */
export function largestLevelShift(
  values: readonly number[],
  minSegment: number,
  minSe = 1e-3,
): LevelShift | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length < 2 * minSegment) return null;
  let best: LevelShift | null = null;
  for (let split = minSegment; split <= v.length - minSegment; split++) {
    const a = meanVar(v.slice(0, split));
    const b = meanVar(v.slice(split));
    const se = Math.max(minSe, Math.sqrt(a.variance / split + b.variance / (v.length - split)));
    const step = b.mean - a.mean;
    const t = step / se;
    if (!best || Math.abs(t) > Math.abs(best.t)) {
      best = { splitIndex: split, meanBefore: a.mean, meanAfter: b.mean, step, t };
    }
  }
  return best;
}
