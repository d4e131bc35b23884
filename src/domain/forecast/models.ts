/**
 * Forecast models behind one interface.
 *
 *   const fitted = model.fit(data, { start, end });      // reads hours [start, end) only
 *   const kWh = fitted.predict(data, range, origin);      // may read observed kWh only at i < origin
 *
 * Models: seasonal naive (same hour last week, or 52 weeks back for a year-ahead baseline), TOWT,
 * and TOWT with a short-horizon residual correction. Backtests enforce the "before origin" rule
 * structurally by masking (see backtest.ts); the models also respect it on their own.
 */
import { fitResidualCorrection, type ResidualCorrection, residualCorrection } from './correction.js';
import type { PreparedSeries } from './prepared.js';
import { fitTowt, predictTowt, type TowtOptions, type TowtParams } from './towt.js';
import type { IndexRange } from './types.js';

export interface FittedForecaster {
  readonly name: string;
  /** Number of estimated parameters (for n - p in Guideline 14 statistics). */
  readonly p: number;
  /** Predictions for [range.start, range.end); observed kWh is read only at indices < origin. */
  predict(data: PreparedSeries, range: IndexRange, origin: number): Float64Array;
  /** Plain-data parameters for persistence. */
  readonly params: ModelParams;
}

export interface Forecaster {
  readonly name: string;
  fit(data: PreparedSeries, train: IndexRange): FittedForecaster;
}

export type ModelParams =
  | { readonly kind: 'seasonal-naive'; readonly lagHours: number }
  | {
      readonly kind: 'prior';
      readonly spaceType: string;
      readonly scaleKWh: number;
      readonly shape: number[];
    }
  | TowtParams
  | { readonly kind: 'towt-corrected'; readonly towt: TowtParams; readonly correction: ResidualCorrection };

const WEEK_H = 168;

/**
 * Same hour one week earlier (the most recent week before the origin); `lagHours` 8736 (52 weeks)
 * gives a year-ahead naive baseline. Falls back up to 3 further weeks when the lagged hour is missing.
 */
export function seasonalNaive(lagHours = WEEK_H): Forecaster {
  const name = lagHours === WEEK_H ? 'seasonal-naive' : `seasonal-naive-${Math.round(lagHours / WEEK_H)}w`;
  return {
    name,
    fit: () => ({
      name,
      p: 0,
      params: { kind: 'seasonal-naive', lagHours },
      predict: (data, range, origin) => predictNaive(data, range, origin, lagHours),
    }),
  };
}

export function predictNaive(
  data: PreparedSeries,
  range: IndexRange,
  origin: number,
  lagHours: number,
): Float64Array {
  const out = new Float64Array(Math.max(0, range.end - range.start)).fill(Number.NaN);
  for (let i = range.start; i < range.end; i++) {
    // Smallest multiple of a week >= lagHours that reaches back before the origin.
    let lag = lagHours;
    while (i - lag >= origin) lag += WEEK_H;
    for (let tries = 0; tries < 4; tries++, lag += WEEK_H) {
      const v = data.y[i - lag];
      if (v !== undefined && !Number.isNaN(v)) {
        out[i - range.start] = v;
        break;
      }
    }
  }
  return out;
}

export interface TowtForecasterOptions extends TowtOptions {
  /** Fit only the last `windowHours` of the training range (trailing window); default all. */
  readonly windowHours?: number;
  readonly name?: string;
}

function trimmed(train: IndexRange, windowHours: number | undefined): IndexRange {
  return windowHours ? { start: Math.max(train.start, train.end - windowHours), end: train.end } : train;
}

export function towtForecaster(options: TowtForecasterOptions = {}): Forecaster {
  const name = options.name ?? 'towt';
  return {
    name,
    fit: (data, train) => {
      const params = fitTowt(data, trimmed(train, options.windowHours), options);
      return fittedTowt(name, params);
    },
  };
}

export function fittedTowt(name: string, params: TowtParams): FittedForecaster {
  return { name, p: params.p, params, predict: (data, range) => predictTowt(params, data, range) };
}

/** TOWT plus a correction from the residuals of the days just before the origin. */
export function correctedTowtForecaster(options: TowtForecasterOptions = {}): Forecaster {
  const name = options.name ?? 'towt-corrected';
  return {
    name,
    fit: (data, train) => {
      const window = trimmed(train, options.windowHours);
      const towt = fitTowt(data, window, options);
      const inSample = predictTowt(towt, data, window);
      const correction = fitResidualCorrection(data, window, inSample);
      return fittedCorrected(name, towt, correction);
    },
  };
}

export function fittedCorrected(
  name: string,
  towt: TowtParams,
  correction: ResidualCorrection,
): FittedForecaster {
  return {
    name,
    p: towt.p + 2,
    params: { kind: 'towt-corrected', towt, correction },
    predict: (data, range, origin) => {
      const base = predictTowt(towt, data, range);
      // Residuals of the last days before the origin (observed data only).
      const from = Math.max(0, origin - correction.lookbackHours);
      const past = predictTowt(towt, data, { start: from, end: origin });
      const resid = new Float64Array(origin - from);
      for (let i = from; i < origin; i++)
        resid[i - from] = (data.y[i] ?? Number.NaN) - (past[i - from] ?? Number.NaN);
      const adj = residualCorrection(correction, resid, range.end - range.start, range.start - origin);
      for (let j = 0; j < base.length; j++) base[j] = (base[j] ?? Number.NaN) + (adj[j] ?? 0);
      return base;
    },
  };
}

/** Rebuild a fitted model from persisted parameters. */
export function fromParams(name: string, params: ModelParams): FittedForecaster {
  switch (params.kind) {
    case 'seasonal-naive':
      return {
        name,
        p: 0,
        params,
        predict: (data, range, origin) => predictNaive(data, range, origin, params.lagHours),
      };
    case 'prior':
      return {
        name,
        p: 1,
        params,
        predict: (data, range) => {
          const out = new Float64Array(Math.max(0, range.end - range.start));
          for (let i = range.start; i < range.end; i++) {
            out[i - range.start] = params.scaleKWh * (params.shape[data.how[i] ?? 0] ?? 1);
          }
          return out;
        },
      };
    case 'towt':
      return fittedTowt(name, params);
    case 'towt-corrected':
      return fittedCorrected(name, params.towt, params.correction);
  }
}
