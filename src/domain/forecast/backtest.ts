/**
 * Backtests in the two settings the service needs, with no look-ahead by construction.
 *
 * dayAheadBacktest: each day is forecast from an origin at its start, using only hours before the
 *   origin. The series is copied with every kWh hidden and revealed day by day, so a model cannot
 *   read the day it predicts. Models are refitted every `refitEveryDays` on a trailing window and the
 *   correction uses the latest residuals (refit weekly, correct daily). The "chosen" forecast is, at
 *   each refit, the candidate with the lowest RMSE over the preceding `chooseOverDays` of its own
 *   day-ahead forecasts (rolling origin), so choice also uses only the past.
 *
 * baselineBacktest: fit on a training range (e.g. year 1), predict a later range (year 2) from time
 *   and temperature alone, as M&V does. Out-of-sample statistics inside the training range come from
 *   held-out calendar months (fit without the month, predict it); the chosen model is the one with
 *   the lowest held-out CV(RMSE).
 */
import { type FitStats, fitStats } from './metrics.js';
import type { FittedForecaster, Forecaster } from './models.js';
import { localMonthKeys, type PreparedSeries } from './prepared.js';
import type { IndexRange } from './types.js';

const DAY = 24;

export interface DayAheadOptions {
  readonly refitEveryDays?: number;
  /** Trailing training window (hours) given to each fit; models may trim further. */
  readonly trainWindowHours?: number;
  /** No forecast before this many hours of history with data exist. */
  readonly minHistoryHours?: number;
  readonly horizonHours?: number;
  readonly chooseOverDays?: number;
  /** Candidate used before enough past forecasts exist to choose. */
  readonly defaultChoice?: string;
  /** First index to score (origins before it still run, to warm up the choice). */
  readonly scoreFrom?: number;
  /** No origins before this index (default 0): skips forecasts nobody scores or chooses from. */
  readonly firstOrigin?: number;
  /** Called after each origin with (done, total), for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ModelScore {
  readonly name: string;
  readonly stats: FitStats;
}

export interface DayAheadResult {
  readonly models: ModelScore[];
  readonly chosen: FitStats;
  /** How many days each candidate was the chosen one. */
  readonly choiceDays: Record<string, number>;
  readonly origins: number;
  readonly fits: number;
  /** Scored forecasts per model name (NaN outside the scored days), and the chosen one. */
  readonly predictions: Record<string, Float64Array>;
}

/** A copy of the series with all kWh hidden; `reveal(end)` uncovers hours before `end`. */
export function maskedView(data: PreparedSeries): { view: PreparedSeries; reveal: (end: number) => void } {
  const y = new Float64Array(data.n).fill(Number.NaN);
  let shown = 0;
  return {
    view: { ...data, y },
    reveal: (end: number) => {
      const e = Math.min(end, data.n);
      if (e > shown) {
        y.set(data.y.subarray(shown, e), shown);
        shown = e;
      }
    },
  };
}

function countValid(y: Float64Array, start: number, end: number): number {
  let c = 0;
  for (let i = Math.max(0, start); i < end; i++) if (!Number.isNaN(y[i] ?? Number.NaN)) c++;
  return c;
}

export function dayAheadBacktest(
  data: PreparedSeries,
  candidates: readonly Forecaster[],
  options: DayAheadOptions = {},
): DayAheadResult {
  const refitEvery = (options.refitEveryDays ?? 7) * DAY;
  const window = options.trainWindowHours ?? 365 * DAY;
  const minHistory = options.minHistoryHours ?? 14 * DAY;
  const horizon = options.horizonHours ?? DAY;
  const chooseOver = (options.chooseOverDays ?? 28) * DAY;
  const defaultChoice = options.defaultChoice ?? candidates[candidates.length - 1]?.name ?? '';
  const scoreFrom = options.scoreFrom ?? 0;

  const { view, reveal } = maskedView(data);
  const preds: Record<string, Float64Array> = {};
  for (const c of candidates) preds[c.name] = new Float64Array(data.n).fill(Number.NaN);
  const chosenPred = new Float64Array(data.n).fill(Number.NaN);
  const choiceDays: Record<string, number> = {};
  const lastP: Record<string, number> = {};

  // Origins at local midnight (first local midnight of the series, then every 24 h).
  let first = Math.max(0, options.firstOrigin ?? 0);
  while (first < data.n && (data.hourOfDay[first] ?? 0) !== 0) first++;
  const totalOrigins = Math.max(0, Math.ceil((data.n - first) / DAY));
  let fitted: FittedForecaster[] = [];
  let lastFit = Number.NEGATIVE_INFINITY;
  let chosen = defaultChoice;
  let origins = 0;
  let fits = 0;
  for (let o = first, done = 0; o < data.n; o += DAY, done++) {
    reveal(o);
    const end = Math.min(data.n, o + horizon);
    if (countValid(view.y, o - window, o) >= minHistory) {
      if (o - lastFit >= refitEvery || fitted.length === 0) {
        const train = { start: Math.max(0, o - window), end: o };
        fitted = candidates.map((c) => c.fit(view, train));
        fits += fitted.length;
        lastFit = o;
        chosen = chooseByRecentError(view, preds, o, chooseOver, defaultChoice);
      }
      for (const f of fitted) {
        const p = f.predict(view, { start: o, end }, o);
        (preds[f.name] as Float64Array).set(p.subarray(0, Math.min(DAY, end - o)), o);
        lastP[f.name] = f.p;
      }
      chosenPred.set((preds[chosen] as Float64Array).subarray(o, Math.min(o + DAY, end)), o);
      if (o >= scoreFrom) choiceDays[chosen] = (choiceDays[chosen] ?? 0) + 1;
      origins++;
    }
    options.onProgress?.(done + 1, totalOrigins);
  }
  reveal(data.n);
  // Score the same hours for every model: where all have a forecast.
  const scoreMask = new Uint8Array(data.n);
  for (let i = scoreFrom; i < data.n; i++) {
    let ok = !Number.isNaN(chosenPred[i] ?? Number.NaN);
    for (const c of candidates) ok &&= !Number.isNaN(preds[c.name]?.[i] ?? Number.NaN);
    scoreMask[i] = ok ? 1 : 0;
  }
  const masked = (arr: Float64Array): Float64Array => arr.map((v, i) => (scoreMask[i] ? v : Number.NaN));
  const y = masked(data.y);
  const models = candidates.map((c) => ({
    name: c.name,
    stats: fitStats(y, masked(preds[c.name] as Float64Array), lastP[c.name] ?? 0),
  }));
  const outPreds: Record<string, Float64Array> = {};
  for (const c of candidates) outPreds[c.name] = masked(preds[c.name] as Float64Array);
  outPreds.chosen = masked(chosenPred);
  return {
    models,
    chosen: fitStats(y, outPreds.chosen, Math.max(...Object.values(lastP), 0)),
    choiceDays,
    origins,
    fits,
    predictions: outPreds,
  };
}

/**
 * Candidate with the lowest mean squared day-ahead error over the window before the origin. The
 * default candidate is kept unless another beats it by 5 % in MSE: a slightly better run over four
 * weeks is mostly noise, and switching on noise costs more than it gains.
 */
function chooseByRecentError(
  view: PreparedSeries,
  preds: Record<string, Float64Array>,
  origin: number,
  over: number,
  fallback: string,
): string {
  const from = Math.max(0, origin - over);
  const mse = new Map<string, number>();
  for (const [name, p] of Object.entries(preds)) {
    let sse = 0;
    let n = 0;
    for (let i = from; i < origin; i++) {
      const e = (view.y[i] ?? Number.NaN) - (p[i] ?? Number.NaN);
      if (Number.isNaN(e)) continue;
      sse += e * e;
      n++;
    }
    // Require at least a week of scored forecasts before trusting the comparison.
    if (n < 7 * DAY) return fallback;
    mse.set(name, sse / n);
  }
  let best = fallback;
  let bestMse = (mse.get(fallback) ?? Number.POSITIVE_INFINITY) * 0.95;
  for (const [name, m] of mse) {
    if (m < bestMse) {
      bestMse = m;
      best = name;
    }
  }
  return best;
}

export interface BaselineModelResult {
  readonly name: string;
  readonly inSample: FitStats;
  /** Held-out calendar months of the training range (NaN stats for models that cannot do this). */
  readonly heldOutMonths: FitStats;
  /** The predicted range. */
  readonly predicted: FitStats;
  readonly prediction: Float64Array;
}

export interface BaselineResult {
  readonly models: BaselineModelResult[];
  readonly chosen: string;
  readonly fits: number;
}

export interface BaselineOptions {
  /** Models whose held-out-month statistics can be computed (others are never chosen). */
  readonly choosable?: (name: string) => boolean;
}

export function baselineBacktest(
  data: PreparedSeries,
  train: IndexRange,
  test: IndexRange,
  candidates: readonly Forecaster[],
  options: BaselineOptions = {},
): BaselineResult {
  const choosable = options.choosable ?? ((name: string) => !name.startsWith('seasonal-naive'));
  // Nothing at or after the end of training is visible to the fits.
  const { view, reveal } = maskedView(data);
  reveal(train.end);
  const yTest = data.y.subarray(test.start, test.end);
  const yTrain = data.y.subarray(train.start, train.end);
  const months = new Map<number, number[]>();
  const keys = localMonthKeys(data, train.start, train.end);
  for (let i = train.start; i < train.end; i++) {
    const k = keys[i - train.start] ?? 0;
    const list = months.get(k) ?? [];
    list.push(i);
    months.set(k, list);
  }
  let fits = 0;
  const models: BaselineModelResult[] = candidates.map((c) => {
    const fitted = c.fit(view, train);
    fits++;
    const inSample = fitStats(yTrain, fitted.predict(view, train, train.end), fitted.p);
    const prediction = fitted.predict(view, test, train.end);
    const predicted = fitStats(yTest, prediction, fitted.p);
    let heldOutMonths = fitStats([], [], 0);
    if (choosable(c.name)) {
      const held = new Float64Array(train.end - train.start).fill(Number.NaN);
      for (const idx of months.values()) {
        const hidden = new Float64Array(view.y);
        for (const i of idx) hidden[i] = Number.NaN;
        const f = c.fit({ ...view, y: hidden }, train);
        fits++;
        const first = idx[0] ?? 0;
        const last = (idx[idx.length - 1] ?? 0) + 1;
        const p = f.predict({ ...view, y: hidden }, { start: first, end: last }, first);
        held.set(p, first - train.start);
      }
      heldOutMonths = fitStats(yTrain, held, fitted.p);
    }
    return { name: c.name, inSample, heldOutMonths, predicted, prediction };
  });
  // Candidates are listed simplest first; a more complex one must beat the current choice's
  // held-out CV(RMSE) by 5 % (relative) to replace it, so noise does not buy complexity.
  let chosen = '';
  let best = Number.POSITIVE_INFINITY;
  for (const m of models) {
    if (!choosable(m.name)) continue;
    const cv = m.heldOutMonths.cvRmse;
    if (!Number.isFinite(cv)) continue;
    if (chosen === '' || cv < best * 0.95) {
      best = cv;
      chosen = m.name;
    }
  }
  if (chosen === '') chosen = models.find((m) => choosable(m.name))?.name ?? models[0]?.name ?? '';
  return { models, chosen, fits };
}
