/**
 * Short-horizon residual correction: "yesterday's surprise predicts today's".
 *
 * For an hour k hours after the forecast origin, the correction is
 *   c(k) = bLevel * (mean residual of the last 24 h)
 *        + bHour  * (residual at the same hour of day on the last day)
 *        + bLast  * (last residual) * 0.8^(k+1)
 * with the three coefficients fitted by least squares on the training window's own residuals at
 * daily pseudo-origins (each using only residuals before it), then clamped to [0, 1] so a noisy fit
 * cannot amplify surprises. Residual = observed - model; missing residuals are skipped. Hours more
 * than 48 h after the origin get no correction.
 */

import { solveSpd } from './linalg.js';
import type { PreparedSeries } from './prepared.js';
import type { IndexRange } from './types.js';

export interface ResidualCorrection {
  readonly lookbackHours: number;
  readonly bLevel: number;
  readonly bHour: number;
  readonly bLast: number;
}

const DECAY = 0.8;
export const MAX_HORIZON_HOURS = 48;
const DAY = 24;

/** Features for offset k given residuals ending at the origin (last element = hour before origin). */
function features(resid: Float64Array, k: number, out: Float64Array): boolean {
  const n = resid.length;
  let s = 0;
  let c = 0;
  for (let i = Math.max(0, n - DAY); i < n; i++) {
    const v = resid[i] ?? Number.NaN;
    if (!Number.isNaN(v)) {
      s += v;
      c++;
    }
  }
  if (c < DAY / 2) return false;
  out[0] = s / c;
  const same = resid[n - DAY + (k % DAY)] ?? Number.NaN;
  out[1] = Number.isNaN(same) ? out[0] : same;
  let last = Number.NaN;
  for (let i = n - 1; i >= Math.max(0, n - 3) && Number.isNaN(last); i--) last = resid[i] ?? Number.NaN;
  out[2] = Number.isNaN(last) ? 0 : last * DECAY ** (k + 1);
  return true;
}

/**
 * Correction for `count` hours starting `offset` hours after the origin. Hours before the origin
 * (a negative offset: in-sample statistics predict the training window from its end) get none:
 * the correction forecasts forward, and 0.8^(k+1) for k = -350 is 1e34, which multiplied the last
 * residual into predictions, CV(RMSE) and NMBE of about 1e33.
 */
export function residualCorrection(
  corr: ResidualCorrection,
  residBeforeOrigin: Float64Array,
  count: number,
  offset: number,
): Float64Array {
  const out = new Float64Array(Math.max(0, count));
  const f = new Float64Array(3);
  for (let j = 0; j < count; j++) {
    // Short horizon only: beyond two days a surprise says little, and the model stands alone.
    const k = offset + j;
    if (k < 0 || k >= MAX_HORIZON_HOURS || !features(residBeforeOrigin, k, f)) continue;
    out[j] = corr.bLevel * (f[0] ?? 0) + corr.bHour * (f[1] ?? 0) + corr.bLast * (f[2] ?? 0);
  }
  return out;
}

export function fitResidualCorrection(
  data: PreparedSeries,
  window: IndexRange,
  inSamplePrediction: Float64Array,
  lookbackHours = 7 * DAY,
): ResidualCorrection {
  const resid = new Float64Array(window.end - window.start);
  for (let i = window.start; i < window.end; i++) {
    resid[i - window.start] =
      (data.y[i] ?? Number.NaN) - (inSamplePrediction[i - window.start] ?? Number.NaN);
  }
  const xtx = new Float64Array(9);
  const xty = new Float64Array(3);
  const f = new Float64Array(3);
  let rows = 0;
  for (let o = DAY * 2; o + DAY <= resid.length; o += DAY) {
    const past = resid.subarray(Math.max(0, o - lookbackHours), o);
    for (let k = 0; k < DAY; k++) {
      const target = resid[o + k] ?? Number.NaN;
      if (Number.isNaN(target) || !features(past, k, f)) continue;
      rows++;
      for (let a = 0; a < 3; a++) {
        xty[a] = (xty[a] ?? 0) + (f[a] ?? 0) * target;
        for (let b = 0; b < 3; b++) xtx[a * 3 + b] = (xtx[a * 3 + b] ?? 0) + (f[a] ?? 0) * (f[b] ?? 0);
      }
    }
  }
  const clamp = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
  if (rows < 48) return { lookbackHours, bLevel: 0.5, bHour: 0, bLast: 0.5 };
  const b = solveSpd(xtx, xty, 3);
  return { lookbackHours, bLevel: clamp(b[0] ?? 0), bHour: clamp(b[1] ?? 0), bLast: clamp(b[2] ?? 0) };
}
