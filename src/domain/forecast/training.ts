/**
 * Training entry points for the service (nightly retrain, on-demand refit): choose a model for a
 * space by rolling-origin backtest on its recent past, fit it, and package it as a model file with
 * in-sample and out-of-sample statistics. Pure: the caller passes the data and the time.
 *
 *   const { name } = chooseByRollingOrigin(data, candidates(), end);
 *   const file = trainModelFile(data, forecaster, { start, end }, { spaceId, endUse, fittedAtMs });
 */
import { dayAheadBacktest, type ModelScore } from './backtest.js';
import { type FitStats, fitStats } from './metrics.js';
import { MODEL_FILE_FORMAT, MODEL_FILE_VERSION, type ModelFile } from './model-file.js';
import { correctedTowtForecaster, type Forecaster, seasonalNaive, towtForecaster } from './models.js';
import { localMonthKeys, type PreparedSeries } from './prepared.js';
import type { IndexRange } from './types.js';

const DAY = 24;

/** The day-ahead candidates used by the service and the benchmark (simplest first, default last). */
export function dayAheadCandidates(): Forecaster[] {
  return [seasonalNaive(), towtForecaster(), correctedTowtForecaster()];
}

export interface RollingChoice {
  readonly name: string;
  readonly scores: ModelScore[];
}

/**
 * Run day-ahead forecasts over the `scoreDays` before `end` (each from data before its own day)
 * and return the candidate with the lowest CV(RMSE); the last candidate (the default) is kept
 * unless another beats it by 5 %. Nothing at or after `end` is read.
 */
export function chooseByRollingOrigin(
  data: PreparedSeries,
  candidates: readonly Forecaster[],
  end: number,
  scoreDays = 28,
): RollingChoice {
  const view: PreparedSeries = {
    ...data,
    n: end,
    tsMs: data.tsMs.subarray(0, end),
    y: data.y.subarray(0, end),
    tempC: data.tempC.subarray(0, end),
    how: data.how.subarray(0, end),
    month: data.month.subarray(0, end),
    localDay: data.localDay.subarray(0, end),
    hourOfDay: data.hourOfDay.subarray(0, end),
  };
  const scoreFrom = Math.max(0, end - scoreDays * DAY);
  const r = dayAheadBacktest(view, candidates, { scoreFrom, firstOrigin: scoreFrom });
  const fallback = candidates[candidates.length - 1]?.name ?? '';
  let name = fallback;
  let best = (r.models.find((m) => m.name === fallback)?.stats.cvRmse ?? Number.POSITIVE_INFINITY) * 0.95;
  for (const m of r.models) {
    if (Number.isFinite(m.stats.cvRmse) && m.stats.cvRmse < best) {
      best = m.stats.cvRmse;
      name = m.name;
    }
  }
  return { name, scores: r.models };
}

export interface TrainMeta {
  readonly spaceId: string;
  readonly endUse: string;
  readonly fittedAtMs: number;
}

/**
 * Fit `forecaster` on `train` and return a model file with in-sample statistics and out-of-sample
 * statistics from held-out calendar months (fit without the month, predict it; needs 2+ months).
 */
export function trainModelFile(
  data: PreparedSeries,
  forecaster: Forecaster,
  train: IndexRange,
  meta: TrainMeta,
): ModelFile {
  const fitted = forecaster.fit(data, train);
  const y = data.y.subarray(train.start, train.end);
  const inSample = fitStats(y, fitted.predict(data, train, train.end), fitted.p);
  const outOfSample = heldOutMonths(data, forecaster, train, fitted.p);
  return {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    name: fitted.name,
    spaceId: meta.spaceId,
    endUse: meta.endUse,
    timeZone: data.timeZone,
    calendarId: data.calendarId,
    trainingWindow: {
      fromMs: data.tsMs[train.start] ?? 0,
      toMs: (data.tsMs[train.end - 1] ?? 0) + 3_600_000,
    },
    fittedAtMs: meta.fittedAtMs,
    params: fitted.params,
    stats: outOfSample ? { inSample, outOfSample } : { inSample },
  };
}

function heldOutMonths(
  data: PreparedSeries,
  forecaster: Forecaster,
  train: IndexRange,
  p: number,
): FitStats | null {
  const keys = localMonthKeys(data, train.start, train.end);
  const months = new Map<number, [number, number]>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? 0;
    const r = months.get(k);
    if (r) r[1] = train.start + i + 1;
    else months.set(k, [train.start + i, train.start + i + 1]);
  }
  if (months.size < 2) return null;
  const pred = new Float64Array(train.end - train.start).fill(Number.NaN);
  for (const [from, to] of months.values()) {
    const hidden = new Float64Array(data.y);
    hidden.fill(Number.NaN, from, to);
    const view = { ...data, y: hidden };
    // Seasonal naive and the correction read the hours just before `from`: predict as from that origin.
    pred.set(forecaster.fit(view, train).predict(view, { start: from, end: to }, from), from - train.start);
  }
  return fitStats(data.y.subarray(train.start, train.end), pred, p);
}
