/**
 * Time-of-week-and-temperature regression (TOWT), the LBNL / CalTRACK hourly baseline model.
 *
 *   kWh(t) = a[how(t)] + sum_k b[mode(how(t))][k] * f_k(T(t))
 *
 * - how: local hour-of-week 0..167 (Monday 00:00 = 0; holidays map to Sunday, see prepared.ts);
 * - mode: each hour-of-week is "occupied" when more than `occupancyThreshold` (0.65) of the
 *   residuals of a plain load-vs-temperature line are positive there (CalTRACK / Mathieu et al. 2011);
 * - f_k: piecewise-linear temperature basis with change points (CalTRACK 30,45,55,65,75,90 °F);
 *   a bin with fewer than `minHoursPerBin` training hours is merged into its neighbour.
 * - segmentation 'month-weighted' (CalTRACK "three-month weighted"): one model per calendar month,
 *   fitted with weight 1 on that month and 0.5 on its neighbours.
 * Without temperature (no sensor, < 50 % of training hours, or < 50 % of the last training week),
 * the model is time-of-week only.
 *
 * API (pure, no look-ahead: only hours inside `train` are read):
 *   fitTowt(prepared, train, options?) -> TowtParams (plain JSON-able data)
 *   predictTowt(params, prepared, range) -> Float64Array (NaN where temperature is needed but missing)
 *   fitTowtSeries / predictTowtSeries: the same on HourlySeries / PredictionHours.
 *
 * Fitting: the hour-of-week indicators form a diagonal block, eliminated analytically (Schur
 * complement), leaving two K x K systems (K = temperature bins) per segment. Sufficient statistics
 * are accumulated once per (month, hour-of-week), so the 12 weighted month models cost little more
 * than one, and a year of hours fits in milliseconds.
 */
import type { HolidayCalendar } from '../calendar/holidays.js';
import { solveSpd } from './linalg.js';
import { type PreparedSeries, prepareSeries } from './prepared.js';
import { CALTRACK_CHANGE_POINTS_C, mergeSparseBins, temperatureBasis } from './towt-basis.js';
import type { HourlySeries, IndexRange, PredictionHours } from './types.js';

export { CALTRACK_CHANGE_POINTS_C, mergeSparseBins, temperatureBasis } from './towt-basis.js';

const HOW = 168;
export type Segmentation = 'none' | 'month-weighted';

export interface TowtOptions {
  readonly changePointsC?: readonly number[];
  readonly occupancyThreshold?: number;
  readonly segmentation?: Segmentation;
  readonly minHoursPerBin?: number;
  /** false = time-of-week only even when temperature exists. */
  readonly useTemperature?: boolean;
}

export interface TowtSegment {
  /** Intercept per hour-of-week, kWh. */
  readonly intercept: number[];
  /** 1 = occupied mode, per hour-of-week. */
  readonly occupied: number[];
  /** Temperature coefficients per bin, kWh per °C, occupied mode. */
  readonly slopeOccupied: number[];
  readonly slopeUnoccupied: number[];
}

export interface TowtParams {
  readonly kind: 'towt';
  /** Change points after merging sparse bins; empty with `usesTemperature` = one linear term. */
  readonly changePointsC: number[];
  readonly usesTemperature: boolean;
  readonly segmentation: Segmentation;
  /** 1 segment, or 12 (calendar months, local time). */
  readonly segments: TowtSegment[];
  /** Parameters estimated per segment model (hours-of-week with data + active temperature terms, max over segments). */
  readonly p: number;
  /** Training hours used (both energy and, if used, temperature present). */
  readonly nTrain: number;
  readonly calendarId: string;
}

function segmentWeights(segmentation: Segmentation): {
  count: number;
  weight: (seg: number, month: number) => number;
} {
  if (segmentation === 'none') return { count: 1, weight: () => 1 };
  return {
    count: 12,
    weight: (seg, month) => {
      const d = (month - seg + 12) % 12;
      return d === 0 ? 1 : d === 1 || d === 11 ? 0.5 : 0;
    },
  };
}

export function fitTowt(data: PreparedSeries, train: IndexRange, options: TowtOptions = {}): TowtParams {
  const segmentation = options.segmentation ?? 'none';
  const threshold = options.occupancyThreshold ?? 0.65;
  const start = Math.max(0, train.start);
  const end = Math.min(data.n, train.end);
  const { y, tempC, how, month } = data;

  let withT = 0;
  let withY = 0;
  for (let i = start; i < end; i++) {
    if (Number.isNaN(y[i] ?? Number.NaN)) continue;
    withY++;
    if (!Number.isNaN(tempC[i] ?? Number.NaN)) withT++;
  }
  // Temperature must cover half the training hours, and half of the last week too: a model that
  // needs a sensor which has stopped reporting could not forecast at all.
  let recentY = 0;
  let recentT = 0;
  for (let i = Math.max(start, end - 168); i < end; i++) {
    if (Number.isNaN(y[i] ?? Number.NaN)) continue;
    recentY++;
    if (!Number.isNaN(tempC[i] ?? Number.NaN)) recentT++;
  }
  const usesTemperature =
    options.useTemperature !== false && withY > 0 && withT >= 0.5 * withY && recentT >= 0.5 * recentY;
  const usable = (i: number): boolean =>
    !Number.isNaN(y[i] ?? Number.NaN) && (!usesTemperature || !Number.isNaN(tempC[i] ?? Number.NaN));

  let cps: number[] = [];
  if (usesTemperature) {
    const temps = new Float64Array(end - start).fill(Number.NaN);
    for (let i = start; i < end; i++) if (usable(i)) temps[i - start] = tempC[i] ?? Number.NaN;
    cps = mergeSparseBins(
      temps,
      options.changePointsC ?? CALTRACK_CHANGE_POINTS_C,
      options.minHoursPerBin ?? 20,
    );
  }
  const k = usesTemperature ? cps.length + 1 : 0;
  const seg = segmentWeights(segmentation);
  const buckets = segmentation === 'none' ? 1 : 12;
  const bucketOf = (i: number): number => (buckets === 1 ? 0 : (month[i] ?? 0));

  // Pass 1: line of load vs temperature per bucket, for the occupancy rule.
  const line = new Float64Array(buckets * 5); // n, sT, sY, sTT, sTY
  for (let i = start; i < end; i++) {
    if (!usable(i)) continue;
    const b = bucketOf(i) * 5;
    const t = usesTemperature ? (tempC[i] ?? 0) : 0;
    const v = y[i] ?? 0;
    line[b] = (line[b] ?? 0) + 1;
    line[b + 1] = (line[b + 1] ?? 0) + t;
    line[b + 2] = (line[b + 2] ?? 0) + v;
    line[b + 3] = (line[b + 3] ?? 0) + t * t;
    line[b + 4] = (line[b + 4] ?? 0) + t * v;
  }
  const lineA = new Float64Array(seg.count);
  const lineB = new Float64Array(seg.count);
  for (let s = 0; s < seg.count; s++) {
    let n = 0;
    let sT = 0;
    let sY = 0;
    let sTT = 0;
    let sTY = 0;
    for (let b = 0; b < buckets; b++) {
      const w = seg.weight(s, b);
      if (w === 0) continue;
      n += w * (line[b * 5] ?? 0);
      sT += w * (line[b * 5 + 1] ?? 0);
      sY += w * (line[b * 5 + 2] ?? 0);
      sTT += w * (line[b * 5 + 3] ?? 0);
      sTY += w * (line[b * 5 + 4] ?? 0);
    }
    const varT = n * sTT - sT * sT;
    const slope = varT > 1e-9 * n * n ? (n * sTY - sT * sY) / varT : 0;
    lineB[s] = slope;
    lineA[s] = n > 0 ? (sY - slope * sT) / n : 0;
  }
  // Pass 2: positive-residual share per (segment, hour-of-week) and sufficient statistics per (bucket, how).
  const pos = new Float64Array(seg.count * HOW);
  const tot = new Float64Array(seg.count * HOW);
  const kk = k * k;
  const cnt = new Float64Array(buckets * HOW);
  const sy = new Float64Array(buckets * HOW);
  const sf = new Float64Array(buckets * HOW * k);
  const ff = new Float64Array(buckets * HOW * kk);
  const fy = new Float64Array(buckets * HOW * k);
  const f = new Float64Array(Math.max(k, 1));
  let nTrain = 0;
  for (let i = start; i < end; i++) {
    if (!usable(i)) continue;
    nTrain++;
    const b = bucketOf(i);
    const h = how[i] ?? 0;
    const t = usesTemperature ? (tempC[i] ?? 0) : 0;
    const v = y[i] ?? 0;
    for (let s = 0; s < seg.count; s++) {
      const w = seg.weight(s, b);
      if (w === 0) continue;
      const r = v - (lineA[s] ?? 0) - (lineB[s] ?? 0) * t;
      tot[s * HOW + h] = (tot[s * HOW + h] ?? 0) + w;
      if (r > 0) pos[s * HOW + h] = (pos[s * HOW + h] ?? 0) + w;
    }
    const bh = b * HOW + h;
    cnt[bh] = (cnt[bh] ?? 0) + 1;
    sy[bh] = (sy[bh] ?? 0) + v;
    if (k > 0) {
      temperatureBasis(t, cps, f);
      const o1 = bh * k;
      const o2 = bh * kk;
      for (let p = 0; p < k; p++) {
        const fp = f[p] ?? 0;
        sf[o1 + p] = (sf[o1 + p] ?? 0) + fp;
        fy[o1 + p] = (fy[o1 + p] ?? 0) + fp * v;
        for (let q = 0; q <= p; q++) ff[o2 + p * k + q] = (ff[o2 + p * k + q] ?? 0) + fp * (f[q] ?? 0);
      }
    }
  }

  const segments: TowtSegment[] = [];
  let pMax = 0;
  for (let s = 0; s < seg.count; s++) {
    const occupied = new Array<number>(HOW).fill(0);
    for (let h = 0; h < HOW; h++) {
      const t = tot[s * HOW + h] ?? 0;
      occupied[h] = usesTemperature && t > 0 && (pos[s * HOW + h] ?? 0) / t > threshold ? 1 : 0;
    }
    const D = new Float64Array(HOW);
    const U = new Float64Array(HOW);
    const B = new Float64Array(HOW * k);
    const C = [new Float64Array(kk), new Float64Array(kk)];
    const V = [new Float64Array(k), new Float64Array(k)];
    for (let b = 0; b < buckets; b++) {
      const w = seg.weight(s, b);
      if (w === 0) continue;
      for (let h = 0; h < HOW; h++) {
        const bh = b * HOW + h;
        if ((cnt[bh] ?? 0) === 0) continue;
        D[h] = (D[h] ?? 0) + w * (cnt[bh] ?? 0);
        U[h] = (U[h] ?? 0) + w * (sy[bh] ?? 0);
        if (k === 0) continue;
        const c = C[occupied[h] ?? 0] as Float64Array;
        const vv = V[occupied[h] ?? 0] as Float64Array;
        for (let p = 0; p < k; p++) {
          B[h * k + p] = (B[h * k + p] ?? 0) + w * (sf[bh * k + p] ?? 0);
          vv[p] = (vv[p] ?? 0) + w * (fy[bh * k + p] ?? 0);
          for (let q = 0; q <= p; q++)
            c[p * k + q] = (c[p * k + q] ?? 0) + w * (ff[bh * kk + p * k + q] ?? 0);
        }
      }
    }
    let activeT = 0;
    const slopes: Float64Array[] = [new Float64Array(k), new Float64Array(k)];
    if (k > 0) {
      for (let mode = 0; mode < 2; mode++) {
        const c = C[mode] as Float64Array;
        const vv = V[mode] as Float64Array;
        for (let p = 0; p < k; p++) if ((c[p * k + p] ?? 0) > 0) activeT++;
        // Schur complement: S = C - B' D^-1 B, r = V - B' D^-1 U over the hours of this mode.
        const S = new Float64Array(kk);
        const r = new Float64Array(k);
        for (let h = 0; h < HOW; h++) {
          const d = D[h] ?? 0;
          if (d === 0 || (occupied[h] ?? 0) !== mode) continue;
          for (let p = 0; p < k; p++) {
            const bp = (B[h * k + p] ?? 0) / d;
            r[p] = (r[p] ?? 0) + bp * (U[h] ?? 0);
            for (let q = 0; q <= p; q++) S[p * k + q] = (S[p * k + q] ?? 0) + bp * (B[h * k + q] ?? 0);
          }
        }
        for (let p = 0; p < k; p++) {
          r[p] = (vv[p] ?? 0) - (r[p] ?? 0);
          for (let q = 0; q <= p; q++) {
            const val = (c[p * k + q] ?? 0) - (S[p * k + q] ?? 0);
            S[p * k + q] = val;
            S[q * k + p] = val;
          }
        }
        slopes[mode] = solveSpd(S, r, k);
      }
    }
    const intercept = new Array<number>(HOW).fill(Number.NaN);
    let activeH = 0;
    for (let h = 0; h < HOW; h++) {
      const d = D[h] ?? 0;
      if (d === 0) continue;
      activeH++;
      const sl = slopes[occupied[h] ?? 0] as Float64Array;
      let bb = 0;
      for (let p = 0; p < k; p++) bb += (B[h * k + p] ?? 0) * (sl[p] ?? 0);
      intercept[h] = ((U[h] ?? 0) - bb) / d;
    }
    fillEmptyHours(intercept);
    pMax = Math.max(pMax, activeH + activeT);
    segments.push({
      intercept,
      occupied,
      slopeOccupied: Array.from(slopes[1] ?? []),
      slopeUnoccupied: Array.from(slopes[0] ?? []),
    });
  }
  return {
    kind: 'towt',
    changePointsC: cps,
    usesTemperature,
    segmentation,
    segments,
    p: pMax,
    nTrain,
    calendarId: data.calendarId,
  };
}

/** An hour-of-week never seen in training borrows the mean of the same hour on other days. */
function fillEmptyHours(intercept: number[]): void {
  let all = 0;
  let allN = 0;
  for (const v of intercept) {
    if (!Number.isNaN(v)) {
      all += v;
      allN++;
    }
  }
  for (let h = 0; h < HOW; h++) {
    if (!Number.isNaN(intercept[h] ?? Number.NaN)) continue;
    let s = 0;
    let n = 0;
    for (let d = 0; d < 7; d++) {
      const v = intercept[d * 24 + (h % 24)] ?? Number.NaN;
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
    intercept[h] = n > 0 ? s / n : allN > 0 ? all / allN : 0;
  }
  // Second pass above may read values filled in the same loop; that is fine (they are averages too).
}

/** Predictions for indices [range.start, range.end) of `data`; NaN where temperature is needed but missing. */
export function predictTowt(params: TowtParams, data: PreparedSeries, range: IndexRange): Float64Array {
  const start = Math.max(0, range.start);
  const end = Math.min(data.n, range.end);
  const out = new Float64Array(Math.max(0, end - start));
  const cps = params.changePointsC;
  const k = params.usesTemperature ? cps.length + 1 : 0;
  const f = new Float64Array(Math.max(k, 1));
  for (let i = start; i < end; i++) {
    const sIdx = params.segments.length === 1 ? 0 : (data.month[i] ?? 0);
    const s = params.segments[sIdx] as TowtSegment;
    const h = data.how[i] ?? 0;
    let v = s.intercept[h] ?? 0;
    if (k > 0) {
      const t = data.tempC[i] ?? Number.NaN;
      if (Number.isNaN(t)) {
        out[i - start] = Number.NaN;
        continue;
      }
      temperatureBasis(t, cps, f);
      const sl = s.occupied[h] === 1 ? s.slopeOccupied : s.slopeUnoccupied;
      for (let p = 0; p < k; p++) v += (sl[p] ?? 0) * (f[p] ?? 0);
    }
    out[i - start] = v;
  }
  return out;
}

/** Convenience: fit on a whole HourlySeries (or a range of it). */
export function fitTowtSeries(
  series: HourlySeries,
  options: TowtOptions & { calendar?: HolidayCalendar; train?: IndexRange } = {},
): TowtParams {
  const data = prepareSeries(series, options.calendar);
  return fitTowt(data, options.train ?? { start: 0, end: data.n }, options);
}

/** Convenience: predict given hours (temperature required if the model uses it). */
export function predictTowtSeries(
  params: TowtParams,
  hours: PredictionHours,
  calendar?: HolidayCalendar,
): Float64Array {
  const data = prepareSeries(hours, calendar);
  return predictTowt(params, data, { start: 0, end: data.n });
}
