/**
 * Occupancy probability per local hour-of-week, for spaces with occupancy sensors.
 *
 *   p[how] = (sum w_i * occ_i + a * pMean) / (sum w_i + a)
 *
 * occ_i is the observed occupied share of hour i (0..1; NaN = missing), w_i = 0.5^(age_i / halfLife)
 * so recent weeks count more (schedules change with seasons and tenants), and the Beta-style prior
 * of strength `a` pulls hours with few observations toward the space's mean occupancy.
 * Holidays follow the calendar mapping of the prepared series (a holiday looks like a Sunday).
 */
import type { PreparedSeries } from './prepared.js';
import type { IndexRange } from './types.js';

export interface OccupancyParams {
  readonly kind: 'occupancy-how';
  readonly probability: number[];
  readonly meanProbability: number;
  readonly halfLifeDays: number;
  readonly nTrain: number;
}

export interface OccupancyOptions {
  readonly halfLifeDays?: number;
  readonly priorStrength?: number;
}

/** Fit from `occupied` (same indexing as `data`; share of the hour occupied, NaN = missing). */
export function fitOccupancy(
  data: PreparedSeries,
  occupied: ArrayLike<number>,
  train: IndexRange,
  options: OccupancyOptions = {},
): OccupancyParams {
  const halfLifeDays = options.halfLifeDays ?? 28;
  const a = options.priorStrength ?? 2;
  const sum = new Float64Array(168);
  const wsum = new Float64Array(168);
  let total = 0;
  let totalW = 0;
  let n = 0;
  for (let i = Math.max(0, train.start); i < Math.min(data.n, train.end); i++) {
    const o = occupied[i] ?? Number.NaN;
    if (Number.isNaN(o)) continue;
    const v = Math.min(1, Math.max(0, o));
    const w = 0.5 ** ((train.end - 1 - i) / (halfLifeDays * 24));
    const h = data.how[i] ?? 0;
    sum[h] = (sum[h] ?? 0) + w * v;
    wsum[h] = (wsum[h] ?? 0) + w;
    total += w * v;
    totalW += w;
    n++;
  }
  const mean = totalW > 0 ? total / totalW : 0.5;
  const probability = Array.from(sum, (s, h) => (s + a * mean) / ((wsum[h] ?? 0) + a));
  return { kind: 'occupancy-how', probability, meanProbability: mean, halfLifeDays, nTrain: n };
}

export function predictOccupancy(
  params: OccupancyParams,
  data: PreparedSeries,
  range: IndexRange,
): Float64Array {
  const out = new Float64Array(Math.max(0, range.end - range.start));
  for (let i = range.start; i < range.end; i++) {
    out[i - range.start] = params.probability[data.how[i] ?? 0] ?? params.meanProbability;
  }
  return out;
}

/** Brier score: mean squared difference between forecast probability and outcome (lower is better). */
export function brierScore(observed: ArrayLike<number>, probability: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < Math.min(observed.length, probability.length); i++) {
    const o = observed[i] ?? Number.NaN;
    const p = probability[i] ?? Number.NaN;
    if (Number.isNaN(o) || Number.isNaN(p)) continue;
    s += (p - o) ** 2;
    n++;
  }
  return n > 0 ? s / n : Number.NaN;
}
