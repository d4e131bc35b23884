/** Piecewise-linear outdoor-temperature terms of the TOWT regression (see towt.ts). */
const F_TO_C = (f: number): number => Math.round(((f - 32) * 5 * 100) / 9) / 100;
/** CalTRACK hourly change points, 30, 45, 55, 65, 75, 90 °F in °C. */
export const CALTRACK_CHANGE_POINTS_C: readonly number[] = [30, 45, 55, 65, 75, 90].map(F_TO_C);

/** Temperature basis f_1..f_K for change points c (K = c.length + 1), written into `out`. */
export function temperatureBasis(tempC: number, cps: readonly number[], out: Float64Array): void {
  const k = cps.length;
  if (k === 0) {
    out[0] = tempC;
    return;
  }
  const c0 = cps[0] ?? 0;
  out[0] = Math.min(tempC, c0);
  for (let j = 1; j < k; j++) {
    const lo = cps[j - 1] ?? 0;
    const hi = cps[j] ?? 0;
    out[j] = Math.max(0, Math.min(tempC, hi) - lo);
  }
  out[k] = Math.max(0, tempC - (cps[k - 1] ?? 0));
}

/** Drop change points until every bin holds at least `minHours` of the training temperatures. */
export function mergeSparseBins(temps: Float64Array, cps: readonly number[], minHours: number): number[] {
  const sorted = [...cps].sort((a, b) => a - b);
  for (;;) {
    if (sorted.length === 0) return sorted;
    const counts = new Array<number>(sorted.length + 1).fill(0);
    for (const t of temps) {
      if (Number.isNaN(t)) continue;
      let bin = 0;
      while (bin < sorted.length && t > (sorted[bin] ?? 0)) bin++;
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    let worst = -1;
    let worstCount = minHours;
    for (let b = 0; b < counts.length; b++) {
      if ((counts[b] ?? 0) < worstCount) {
        worstCount = counts[b] ?? 0;
        worst = b;
      }
    }
    if (worst < 0) return sorted;
    // Merge the sparse bin with a neighbour by removing the change point between them.
    sorted.splice(worst === sorted.length ? worst - 1 : worst, 1);
  }
}
