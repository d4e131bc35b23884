/**
 * Cold-start priors: before a space has enough data (see sufficiency.ts), its forecast is a
 * per-space-type weekly shape (168 multipliers of the mean, from models/priors/<type>.json) scaled
 * by the mean of whatever readings exist, or by a nominal mean from configuration.
 *
 *   const prior = parsePrior(json);                       // validated
 *   const model = priorForecaster(prior, nominalMeanKWh);  // a Forecaster like the others
 *   const pick = selectForecaster(data, train, prior, models) // prior until the data suffice
 */
import { z } from 'zod';
import { type FittedForecaster, type Forecaster, fromParams } from './models.js';
import type { PreparedSeries } from './prepared.js';
import { assessSufficiency, FORECAST_RULES, type SufficiencyReport } from './sufficiency.js';
import type { IndexRange } from './types.js';

export interface SpacePrior {
  readonly format: 'quietwatt.prior';
  readonly version: 1;
  readonly spaceType: string;
  /** Multipliers of the mean per local hour-of-week (Monday 00:00 = 0); mean 1. */
  readonly shape: number[];
  /** Mean kWh per hour to use when no reading exists yet; null = unknown. */
  readonly nominalMeanKWh: number | null;
  readonly basis: 'assumption' | 'fitted';
  readonly note: string;
}

const priorSchema = z.object({
  format: z.literal('quietwatt.prior'),
  version: z.literal(1),
  spaceType: z.string().min(1),
  shape: z.array(z.number().nonnegative()).length(168),
  nominalMeanKWh: z.number().positive().nullable(),
  basis: z.enum(['assumption', 'fitted']),
  note: z.string(),
});

export function parsePrior(raw: unknown): SpacePrior {
  const r = priorSchema.safeParse(raw);
  if (!r.success) throw new Error(`invalid prior file: ${z.prettifyError(r.error)}`);
  return r.data;
}

const MIN_HOURS_FOR_SCALE = 24;

export function priorForecaster(prior: SpacePrior, nominalMeanKWh?: number): Forecaster {
  const name = `prior-${prior.spaceType}`;
  return {
    name,
    fit: (data: PreparedSeries, train: IndexRange): FittedForecaster => {
      let sum = 0;
      let shapeSum = 0;
      let n = 0;
      for (let i = Math.max(0, train.start); i < Math.min(data.n, train.end); i++) {
        const v = data.y[i] ?? Number.NaN;
        if (Number.isNaN(v)) continue;
        sum += v;
        shapeSum += prior.shape[data.how[i] ?? 0] ?? 1;
        n++;
      }
      // Scale so the shape reproduces the observed energy over the hours actually seen.
      const scale =
        n >= MIN_HOURS_FOR_SCALE && shapeSum > 0
          ? sum / shapeSum
          : (nominalMeanKWh ?? prior.nominalMeanKWh ?? Number.NaN);
      return fromParams(name, {
        kind: 'prior',
        spaceType: prior.spaceType,
        scaleKWh: scale,
        shape: prior.shape,
      });
    },
  };
}

export interface Selection {
  readonly forecaster: Forecaster;
  readonly coldStart: boolean;
  readonly sufficiency: SufficiencyReport;
}

/** The prior until the training window meets the forecasting sufficiency rules, then `model`. */
export function selectForecaster(
  data: PreparedSeries,
  train: IndexRange,
  prior: SpacePrior,
  model: Forecaster,
  nominalMeanKWh?: number,
): Selection {
  const sufficiency = assessSufficiency(data, train, FORECAST_RULES);
  return sufficiency.sufficient
    ? { forecaster: model, coldStart: false, sufficiency }
    : { forecaster: priorForecaster(prior, nominalMeanKWh), coldStart: true, sufficiency };
}
