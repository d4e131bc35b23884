import { mean as ssMean } from 'simple-statistics';
import { twoSidedT } from './student-t.js';

/** Confidence levels reported for every savings figure. */
export const CONFIDENCE_LEVELS = [0.68, 0.9] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** Lag-1 autocorrelation of a residual series (the ρ of Guideline 14). NaN entries break the pairs. */
export function lag1Autocorrelation(residuals: readonly number[]): number {
  const finite = residuals.filter((r) => Number.isFinite(r));
  if (finite.length < 3) return 0;
  const mean = ssMean(finite);
  let num = 0;
  let den = 0;
  for (let i = 0; i < residuals.length; i++) {
    const r = residuals[i] as number;
    if (!Number.isFinite(r)) continue;
    den += (r - mean) ** 2;
    const prev = residuals[i - 1];
    if (i > 0 && prev !== undefined && Number.isFinite(prev)) num += (r - mean) * (prev - mean);
  }
  return den > 0 ? num / den : 0;
}

/** Effective number of independent baseline points, n' = n (1 - ρ) / (1 + ρ). */
export function effectiveN(n: number, rho: number): number {
  // ρ <= 0 would claim more information than there are points; Guideline 14 uses n then.
  const r = Math.max(0, Math.min(rho, 0.999));
  return (n * (1 - r)) / (1 + r);
}

export interface G14Input {
  /** CV(RMSE) of the baseline model, as a fraction (0.12 = 12 %). */
  readonly cvRmse: number;
  /** Number of baseline points the model was fitted on. */
  readonly nBaseline: number;
  /** Number of model parameters (for the t degrees of freedom, n - p). */
  readonly parameters: number;
  /** Lag-1 autocorrelation of the baseline residuals. */
  readonly rho: number;
  /** Number of reporting-period points. */
  readonly mReporting: number;
  /** Adjusted baseline energy over the reporting period, kWh. */
  readonly adjustedBaselineKWh: number;
  /** Avoided energy over the reporting period, kWh. */
  readonly savingsKWh: number;
}

export interface G14Interval {
  readonly confidence: number;
  readonly t: number;
  /** Half-width of the savings interval, kWh. */
  readonly halfWidthKWh: number;
  /** Half-width as a share of the adjusted baseline (comparable with the savings %). */
  readonly halfWidthShare: number;
  /**
   * Half-width as a fraction of the savings (Guideline 14's ΔE/E). Null when the savings are so close
   * to zero that the ratio means nothing.
   */
  readonly relativeToSavings: number | null;
}

export interface G14Result {
  readonly nEffective: number;
  readonly rho: number;
  readonly savingsFraction: number;
  readonly intervals: readonly G14Interval[];
}

/**
 * ASHRAE Guideline 14 savings uncertainty with autocorrelation:
 * ΔE/E = 1.26 · t · (CV/F) · sqrt((n/n')(1 + 2/n')/m). Since F = E/E_baseline, the kWh half-width is
 * 1.26 · t · CV · E_baseline · sqrt(...), which stays finite when the savings are zero.
 */
export function g14Uncertainty(
  input: G14Input,
  confidences: readonly number[] = CONFIDENCE_LEVELS,
): G14Result {
  const { cvRmse, nBaseline: n, parameters: p, rho, mReporting: m } = input;
  if (!(n > p)) throw new RangeError(`need more baseline points (${n}) than parameters (${p})`);
  if (!(m > 0)) throw new RangeError(`need reporting points, got ${m}`);
  const nEff = effectiveN(n, rho);
  const root = Math.sqrt((n / nEff) * (1 + 2 / nEff) * (1 / m));
  const base = input.adjustedBaselineKWh;
  const fraction = base !== 0 ? input.savingsKWh / base : Number.NaN;
  const intervals = confidences.map((confidence) => {
    const t = twoSidedT(confidence, n - p);
    const halfWidthShare = 1.26 * t * cvRmse * root;
    const halfWidthKWh = halfWidthShare * Math.abs(base);
    const relativeToSavings = Math.abs(fraction) >= 1e-3 ? halfWidthShare / Math.abs(fraction) : null;
    return { confidence, t, halfWidthKWh, halfWidthShare, relativeToSavings };
  });
  return { nEffective: nEff, rho, savingsFraction: fraction, intervals };
}
