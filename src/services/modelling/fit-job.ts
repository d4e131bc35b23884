/**
 * The fitting work the service hands to a worker thread: plain data in, plain data out (structured
 * clone), pure domain code in between. The same function runs inline in tests and as a fallback.
 *
 * - forecast:  cold-start prior until the forecasting sufficiency rules hold, then the model chosen
 *              by rolling-origin backtest on the series' own past; packaged as a model file.
 * - occupancy: occupancy probability per hour-of-week from the space's sensor history.
 * - baseline:  the M&V baseline (TOWT, no residual correction) on the configured baseline period,
 *              with its held-out calibration and non-routine check.
 */
import type { EndUse } from '../../domain/energy.js';
import { serializeModel } from '../../domain/forecast/model-file.js';
import { fitOccupancy, type OccupancyParams } from '../../domain/forecast/occupancy.js';
import { prepareSeries } from '../../domain/forecast/prepared.js';
import { priorForecaster, type SpacePrior } from '../../domain/forecast/prior.js';
import { assessSufficiency, FORECAST_RULES } from '../../domain/forecast/sufficiency.js';
import { chooseByRollingOrigin, dayAheadCandidates, trainModelFile } from '../../domain/forecast/training.js';
import type { HourlySeries } from '../../domain/forecast/types.js';
import { fitBaseline, prepareForMv } from '../../domain/savings/baseline-fit.js';
import { type BaselineRecord, serializeBaseline } from './baseline-record.js';
import { buildCalendar, type CalendarSpec } from './calendar.js';

export type FitRequest =
  | {
      readonly kind: 'forecast';
      readonly series: HourlySeries;
      readonly calendar: CalendarSpec;
      readonly prior: SpacePrior;
      readonly spaceId: string;
      readonly endUse: EndUse;
      readonly fittedAtMs: number;
    }
  | {
      readonly kind: 'occupancy';
      readonly series: HourlySeries;
      /** Occupied share per hour of the series (null = not observed). */
      readonly occupied: readonly (number | null)[];
      readonly calendar: CalendarSpec;
    }
  | {
      readonly kind: 'baseline';
      readonly series: HourlySeries;
      readonly calendar: CalendarSpec;
      readonly spaceId: string;
      readonly endUse: EndUse;
      /** Kept on the record, so a series measured by other meters after a reload is refitted. */
      readonly meterIds?: readonly string[];
    };

export type FitResult =
  | {
      readonly kind: 'forecast';
      readonly modelText: string;
      readonly modelName: string;
      readonly coldStart: boolean;
      /** Sufficiency issues (errors explain a cold start). */
      readonly issues: readonly string[];
    }
  | { readonly kind: 'occupancy'; readonly params: OccupancyParams }
  | { readonly kind: 'baseline'; readonly record: BaselineRecord; readonly text: string };

export function runFit(request: FitRequest): FitResult {
  const calendar = buildCalendar(request.calendar);
  const data = prepareSeries(request.series, calendar);
  const all = { start: 0, end: data.n };
  switch (request.kind) {
    case 'forecast': {
      const sufficiency = assessSufficiency(data, all, FORECAST_RULES);
      const issues = sufficiency.issues.map((i) => `${i.code}: ${i.message}`);
      let forecaster = priorForecaster(request.prior);
      if (sufficiency.sufficient) {
        const candidates = dayAheadCandidates();
        const { name } = chooseByRollingOrigin(data, candidates, data.n);
        forecaster = candidates.find((c) => c.name === name) ?? forecaster;
      }
      const file = trainModelFile(data, forecaster, all, {
        spaceId: request.spaceId,
        endUse: request.endUse,
        fittedAtMs: request.fittedAtMs,
      });
      return {
        kind: 'forecast',
        modelText: serializeModel(file),
        modelName: file.name,
        coldStart: !sufficiency.sufficient,
        issues,
      };
    }
    case 'occupancy': {
      const occupied = Float64Array.from(request.occupied, (v) => (v === null ? Number.NaN : v));
      return { kind: 'occupancy', params: fitOccupancy(data, occupied, all) };
    }
    case 'baseline': {
      const mv = prepareForMv(request.series, { calendar });
      const model = fitBaseline(mv, { start: 0, end: mv.n }, { calendar });
      const record: BaselineRecord = {
        format: 'quietwatt.baseline',
        version: 1,
        spaceId: request.spaceId,
        endUse: request.endUse,
        baselineVersion: model.version,
        timeZone: request.series.timeZone,
        calendarId: mv.calendarId,
        trainStartMs: model.trainStartMs,
        trainEndMs: model.trainEndMs,
        unusable: [
          ...model.unusable,
          ...(model.baselineUnstable ? ['the baseline period itself changed level (non-routine)'] : []),
        ],
        heldOutRmsError: model.heldOutRmsError,
        cvRmseInSample: model.inSample.cvRmse,
        nBaseline: model.inSample.n,
        rho: model.rho,
        ...(request.meterIds ? { meterIds: [...request.meterIds] } : {}),
        params: model.params,
      };
      return { kind: 'baseline', record, text: serializeBaseline(record) };
    }
  }
}
