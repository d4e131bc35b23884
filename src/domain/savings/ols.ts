import { Matrix, pseudoInverse } from 'ml-matrix';

export interface OlsFit {
  readonly beta: readonly number[];
  /** Standard error of each coefficient (classical, homoscedastic). */
  readonly se: readonly number[];
  readonly residuals: readonly number[];
  /** n - rank. */
  readonly dof: number;
  readonly sigma: number;
}

/**
 * Ordinary least squares for the small day-level designs of the randomized method (tens of columns,
 * hundreds of rows). A pseudo-inverse keeps a rank-deficient design (a week with one arm only, a
 * weather term that never applies) from failing: its coefficients come out as a minimum-norm
 * solution and the degrees of freedom use the true rank.
 */
export function ols(rows: readonly (readonly number[])[], y: readonly number[]): OlsFit {
  const n = rows.length;
  if (n === 0) throw new RangeError('no rows to fit');
  const x = new Matrix(rows.map((r) => [...r]));
  const xt = x.transpose();
  const xtx = xt.mmul(x);
  const inv = pseudoInverse(xtx);
  const beta = inv
    .mmul(xt)
    .mmul(Matrix.columnVector([...y]))
    .getColumn(0);
  const fitted = x.mmul(Matrix.columnVector(beta)).getColumn(0);
  const residuals = y.map((v, i) => v - (fitted[i] as number));
  // rank = trace of the projection (X'X)^+ X'X
  const rank = Math.round(inv.mmul(xtx).trace());
  const dof = n - rank;
  const rss = residuals.reduce((s, r) => s + r * r, 0);
  const sigma = dof > 0 ? Math.sqrt(rss / dof) : Number.NaN;
  const se = beta.map((_, j) => Math.sqrt(Math.max(0, inv.get(j, j))) * sigma);
  return { beta, se, residuals, dof, sigma };
}
