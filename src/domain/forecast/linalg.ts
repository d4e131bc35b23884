/**
 * Small dense symmetric solver for the temperature blocks of the regression (K <= ~10), written out
 * because the hour-of-week block is diagonal and eliminated analytically (see towt.ts).
 */

/**
 * Solve A x = b for symmetric positive semi-definite A (row-major k x k) by Cholesky.
 * Columns whose pivot vanishes (no data, or collinear with earlier ones) get coefficient 0
 * instead of failing: a change-point segment without data must not break the fit.
 */
export function solveSpd(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  const active = new Uint8Array(k);
  let trace = 0;
  for (let i = 0; i < k; i++) trace += Math.abs(a[i * k + i] ?? 0);
  const tol = 1e-10 * (trace / Math.max(k, 1) + 1e-300);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j] ?? 0;
    for (let m = 0; m < j; m++) {
      const v = l[j * k + m] ?? 0;
      d -= v * v;
    }
    if (d <= tol) {
      active[j] = 0;
      continue;
    }
    active[j] = 1;
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j] ?? 0;
      for (let m = 0; m < j; m++) s -= (l[i * k + m] ?? 0) * (l[j * k + m] ?? 0);
      l[i * k + j] = s / ljj;
    }
  }
  // Forward then back substitution over active columns (inactive rows/cols of L are zero).
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    if (!active[i]) continue;
    let s = b[i] ?? 0;
    for (let m = 0; m < i; m++) s -= (l[i * k + m] ?? 0) * (y[m] ?? 0);
    y[i] = s / (l[i * k + i] ?? 1);
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    if (!active[i]) continue;
    let s = y[i] ?? 0;
    for (let m = i + 1; m < k; m++) s -= (l[m * k + i] ?? 0) * (x[m] ?? 0);
    x[i] = s / (l[i * k + i] ?? 1);
  }
  return x;
}
