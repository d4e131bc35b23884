/**
 * Goodness-of-fit statistics per ASHRAE Guideline 14-2014.
 *
 *   CV(RMSE) = sqrt( sum (y - yhat)^2 / (n - p) ) / mean(y)
 *   NMBE     = sum (y - yhat) / ((n - p) * mean(y))      (positive = the model under-predicts)
 *   R^2      = 1 - sum (y - yhat)^2 / sum (y - mean(y))^2
 *
 * n counts hours where both the observation and the prediction exist; p is the number of model
 * parameters (0 for a model with none, e.g. seasonal naive). Ratios are fractions (0.3 = 30 %).
 * Guideline 14 hourly calibration thresholds: CV(RMSE) <= 30 %, |NMBE| <= 10 %.
 */
export const G14_HOURLY = { maxCvRmse: 0.3, maxAbsNmbe: 0.1 } as const;

/**
 * CV(RMSE) and NMBE divide by the mean load, so they mean nothing when it is about zero: a meter
 * that reports nothing leaves rounding residue (1e-35 kWh) that turns any error into 1e33 %. Below
 * 1 Wh per hour (a 1 W load), or below 1e-9 of the mean absolute value (a mean lost to
 * cancellation), the model is reported as not assessable instead.
 */
export const NEAR_ZERO_MEAN = { absolute: 1e-3, relative: 1e-9 } as const;

/** Whether a mean is too close to zero to divide by (see NEAR_ZERO_MEAN). */
export function isNearZeroMean(mean: number, meanAbs: number): boolean {
  const m = Math.abs(mean);
  return !(m >= NEAR_ZERO_MEAN.absolute) || m < NEAR_ZERO_MEAN.relative * meanAbs;
}

export interface FitStats {
  readonly n: number;
  readonly p: number;
  readonly meanKWh: number;
  readonly rmseKWh: number;
  /** Fraction; NaN when undefined (n <= p or mean about 0: see `notAssessable`). */
  readonly cvRmse: number;
  readonly nmbe: number;
  readonly r2: number;
  /** Meets both Guideline 14 hourly thresholds. */
  readonly meetsG14: boolean;
  /** Why CV(RMSE) and NMBE are undefined, when there are observations but they are. */
  readonly notAssessable?: string;
}

type Values = ArrayLike<number | null>;

function finite(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

export function fitStats(observed: Values, predicted: Values, p = 0): FitStats {
  const len = Math.min(observed.length, predicted.length);
  let n = 0;
  let sumY = 0;
  let sumAbsY = 0;
  for (let i = 0; i < len; i++) {
    const y = observed[i];
    const f = predicted[i];
    if (finite(y) && finite(f)) {
      n++;
      sumY += y;
      sumAbsY += Math.abs(y);
    }
  }
  const mean = n > 0 ? sumY / n : Number.NaN;
  let sse = 0;
  let sumErr = 0;
  let sst = 0;
  for (let i = 0; i < len; i++) {
    const y = observed[i];
    const f = predicted[i];
    if (!finite(y) || !finite(f)) continue;
    const e = y - f;
    sse += e * e;
    sumErr += e;
    sst += (y - mean) * (y - mean);
  }
  const dof = n - p;
  const notAssessable = whyNotAssessable(n, p, mean, n > 0 ? sumAbsY / n : 0);
  const ok = notAssessable === undefined && n > 0;
  const cvRmse = ok ? Math.sqrt(sse / dof) / mean : Number.NaN;
  const nmbe = ok ? sumErr / (dof * mean) : Number.NaN;
  const r2 = n > 0 && sst > 0 ? 1 - sse / sst : Number.NaN;
  return {
    n,
    p,
    meanKWh: mean,
    rmseKWh: n > 0 ? Math.sqrt(sse / n) : Number.NaN,
    cvRmse,
    nmbe,
    r2,
    meetsG14: meetsG14(cvRmse, nmbe),
    ...(notAssessable === undefined ? {} : { notAssessable }),
  };
}

/** Why CV(RMSE) and NMBE cannot be computed on observed data; undefined when they can (or n is 0). */
function whyNotAssessable(n: number, p: number, mean: number, meanAbs: number): string | undefined {
  if (n === 0) return undefined;
  if (n <= p) return `${n} hours of data for ${p} model parameters`;
  if (isNearZeroMean(mean, meanAbs))
    return `the mean load (${mean === 0 ? '0' : mean.toPrecision(2)} kWh per hour) is about zero, so CV(RMSE) and NMBE are undefined (does the meter report?)`;
  return undefined;
}

export function cvRmse(observed: Values, predicted: Values, p = 0): number {
  return fitStats(observed, predicted, p).cvRmse;
}

export function nmbe(observed: Values, predicted: Values, p = 0): number {
  return fitStats(observed, predicted, p).nmbe;
}

export function rSquared(observed: Values, predicted: Values): number {
  return fitStats(observed, predicted, 0).r2;
}

export function meetsG14(cv: number, bias: number): boolean {
  return (
    Number.isFinite(cv) &&
    Number.isFinite(bias) &&
    cv <= G14_HOURLY.maxCvRmse &&
    Math.abs(bias) <= G14_HOURLY.maxAbsNmbe
  );
}
