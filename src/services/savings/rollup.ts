/**
 * Ledger rows for one series over a range of completed hours, by the two methods. Pure apart from
 * the data handed in.
 *
 * baseline:   the persisted baseline (TOWT, fitted on the baseline period, no residual correction)
 *             predicts each hour from time and temperature; avoided = baseline - measured.
 * randomized: on treatment days the counterfactual is measured / (1 - share), with the share from
 *             the randomized estimate over the days so far; control days save nothing by design
 *             and get no row.
 */
import type { HolidayCalendar } from '../../domain/calendar/holidays.js';
import { prepareSeries } from '../../domain/forecast/prepared.js';
import { predictTowt } from '../../domain/forecast/towt.js';
import type { HourlySeries } from '../../domain/forecast/types.js';
import { avoidedEnergy } from '../../domain/savings/avoided.js';
import { buildLedgerRows, type LedgerContext, type SavingsLedgerRow } from '../../domain/savings/ledger.js';
import type { BaselineRecord } from '../modelling/baseline-record.js';

export function baselineRows(
  baseline: BaselineRecord,
  reporting: HourlySeries,
  calendar: HolidayCalendar,
  ctx: Omit<LedgerContext, 'method' | 'baselineVersion' | 'timeZone'>,
): SavingsLedgerRow[] {
  if (reporting.tsMs.length === 0) return [];
  const data = prepareSeries(reporting, calendar);
  const predicted = predictTowt(baseline.params, data, { start: 0, end: data.n });
  const summary = avoidedEnergy(
    reporting.tsMs.map((startMs, i) => ({
      startMs,
      measuredKWh: reporting.kWh[i] ?? null,
      baselineKWh: predicted[i] ?? Number.NaN,
    })),
  );
  return buildLedgerRows(summary.hours, {
    ...ctx,
    method: 'baseline',
    baselineVersion: baseline.baselineVersion,
    timeZone: reporting.timeZone,
  });
}

export function randomizedRows(
  hours: readonly { startMs: number; measuredKWh: number | null }[],
  savingsShare: number,
  version: string,
  timeZone: string,
  ctx: Omit<LedgerContext, 'method' | 'baselineVersion' | 'timeZone'>,
): SavingsLedgerRow[] {
  if (!(savingsShare < 1) || !Number.isFinite(savingsShare)) return [];
  const summary = avoidedEnergy(
    hours.map((h) => ({
      startMs: h.startMs,
      measuredKWh: h.measuredKWh,
      baselineKWh: h.measuredKWh === null ? Number.NaN : h.measuredKWh / (1 - savingsShare),
    })),
  );
  return buildLedgerRows(summary.hours, { ...ctx, method: 'randomized', baselineVersion: version, timeZone });
}
