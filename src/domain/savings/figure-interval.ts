/**
 * The interval of a reported savings figure, from the M&V maths of its method, and whether the
 * figure is still provisional. Pure: the caller hands in the per-series statistics.
 */
import { g14Uncertainty } from './uncertainty.js';

/** Confidence of the interval shown with every figure. */
export const FIGURE_CONFIDENCE = 0.9;

/** What Guideline 14 needs to know of a baseline model. */
export interface BaselineStats {
  /** In-sample CV(RMSE), a fraction. */
  readonly cvRmse: number;
  readonly nBaseline: number;
  readonly parameters: number;
  /** Lag-1 autocorrelation of the baseline residuals. */
  readonly rho: number;
}

/**
 * Guideline 14 half-width (kWh) of the savings of one series over `hours` reporting hours whose
 * adjusted baseline sums to `baselineKWh`; undefined when the statistics cannot give one.
 */
export function baselineHalfWidthKWh(
  stats: BaselineStats,
  hours: number,
  baselineKWh: number,
): number | undefined {
  if (!(hours > 0) || !Number.isFinite(stats.cvRmse) || !(stats.nBaseline > stats.parameters))
    return undefined;
  const g14 = g14Uncertainty(
    {
      cvRmse: stats.cvRmse,
      nBaseline: stats.nBaseline,
      parameters: stats.parameters,
      rho: stats.rho,
      mReporting: hours,
      adjustedBaselineKWh: baselineKWh,
      savingsKWh: 0,
    },
    [FIGURE_CONFIDENCE],
  );
  const hw = g14.intervals[0]?.halfWidthKWh;
  return hw !== undefined && Number.isFinite(hw) ? hw : undefined;
}

/**
 * Half-width (kWh) of randomized savings: the estimate's interval on the savings share, applied to
 * the counterfactual energy of the hours reported. The share is estimated once for the whole design,
 * so a shorter period does not get a wider interval, nor a longer one a narrower.
 */
export function randomizedHalfWidthKWh(lowShare: number, highShare: number, baselineKWh: number): number {
  return (Math.abs(highShare - lowShare) / 2) * Math.abs(baselineKWh);
}

/**
 * Half-width of a sum of series, from their own: in quadrature, since each series' error comes
 * from its own model (or its own estimate) and meter.
 */
export function combineHalfWidths(halfWidthsKWh: readonly number[]): number {
  return Math.sqrt(halfWidthsKWh.reduce((s, h) => s + h * h, 0));
}

/**
 * A figure is provisional until it has an interval whose half-width is at most `thresholdPct` percent
 * of its baseline energy.
 */
export function isProvisional(
  halfWidthKWh: number | undefined,
  baselineKWh: number,
  thresholdPct: number,
): boolean {
  if (halfWidthKWh === undefined || !(Math.abs(baselineKWh) > 0)) return true;
  return (100 * halfWidthKWh) / Math.abs(baselineKWh) > thresholdPct;
}
