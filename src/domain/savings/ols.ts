import { Matrix, pseudoInverse } from 'ml-matrix';

export interface OlsFit {
  readonly beta: readonly number[];
  /** Standard error of each coefficient (classical, homoscedastic). */
  readonly se: readonly number[];
  readonly residuals: readonly number[];
  /** n - rank. */
  readonly dof: number;
  readonly sigma: number;
  /** Cluster-robust standard errors (CR1), when clusters were given. */
  readonly seCluster?: readonly number[];
  /** Number of clusters with data. */
  readonly clusters?: number;
}

/**
 * Ordinary least squares for the small day-level designs of the randomized method (tens of columns,
 * hundreds of rows). A pseudo-inverse keeps a rank-deficient design (a week with one arm only, a
 * weather term that never applies) from failing: its coefficients come out as a minimum-norm
 * solution and the degrees of freedom use the true rank.
 */
export function ols(
  rows: readonly (readonly number[])[],
  y: readonly number[],
  clusterOf?: readonly number[],
): OlsFit {
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
  if (!clusterOf) return { beta, se, residuals, dof, sigma };
  // Sandwich (X'X)^+ [sum_g (X_g' u_g)(X_g' u_g)'] (X'X)^+ with the usual small-sample factor.
  const p = beta.length;
  const scores = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const g = clusterOf[i] as number;
    let sc = scores.get(g);
    if (!sc) {
      sc = new Array<number>(p).fill(0);
      scores.set(g, sc);
    }
    const u = residuals[i] as number;
    for (let j = 0; j < p; j++) sc[j] = (sc[j] as number) + (r[j] as number) * u;
  });
  const meat = Matrix.zeros(p, p);
  for (const sc of scores.values()) {
    const v = Matrix.columnVector(sc);
    meat.add(v.mmul(v.transpose()));
  }
  const g = scores.size;
  const factor = g > 1 ? (g / (g - 1)) * ((n - 1) / Math.max(1, n - rank)) : Number.NaN;
  const cov = inv.mmul(meat).mmul(inv).mul(factor);
  const seCluster = beta.map((_, j) => Math.sqrt(Math.max(0, cov.get(j, j))));
  return { beta, se, residuals, dof, sigma, seCluster, clusters: g };
}
