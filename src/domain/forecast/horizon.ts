/**
 * The forecast the planner consumes: the next `hours` (48 by default) of a space's energy from a
 * fitted model, given the history up to the origin and, when the site publishes one, a temperature
 * forecast. Missing forecast temperatures come from the recent-days model; the result says which
 * source each hour used and warns when the holiday calendar does not cover the horizon.
 *
 *   const f = forecastHorizon(fitted, history, originMs, { hours: 48, temperatureForecastC, calendar });
 */
import { coverageWarning, type HolidayCalendar, NO_HOLIDAYS } from '../calendar/holidays.js';
import { localHours } from '../calendar/local-time.js';
import type { FittedForecaster } from './models.js';
import { prepareSeries } from './prepared.js';
import { recentDaysTemperature } from './temperature-forecast.js';
import { HOUR_MS, type HourlySeries } from './types.js';

export interface HorizonOptions {
  readonly hours?: number;
  /** Forecast temperatures for the horizon hours (same length, null = none); absent = none at all. */
  readonly temperatureForecastC?: readonly (number | null)[];
  readonly calendar?: HolidayCalendar;
}

export interface HorizonForecast {
  /** UTC hour starts of the horizon. */
  readonly tsMs: number[];
  /** Forecast kWh per hour; null where the model cannot forecast (e.g. no temperature at all). */
  readonly kWh: (number | null)[];
  readonly temperatureC: (number | null)[];
  /** Per hour: 'forecast' (site or service), 'recent-days' (model of the last days) or 'none'. */
  readonly temperatureSource: ('forecast' | 'recent-days' | 'none')[];
  readonly warnings: string[];
}

export function forecastHorizon(
  fitted: FittedForecaster,
  history: HourlySeries,
  originMs: number,
  options: HorizonOptions = {},
): HorizonForecast {
  const hours = options.hours ?? 48;
  const calendar = options.calendar ?? NO_HOLIDAYS;
  const origin = Math.floor(originMs / HOUR_MS) * HOUR_MS;
  const first = history.tsMs[0] ?? origin;
  const pastN = Math.max(0, Math.round((origin - first) / HOUR_MS));
  const n = pastN + hours;
  const tsMs = Array.from({ length: n }, (_, i) => first + i * HOUR_MS);
  // History only before the origin: a reading at or after it is ignored, never used.
  const kWh = tsMs.map((_, i) => (i < pastN ? (history.kWh[i] ?? null) : null));
  const pastT = tsMs.map((_, i) => (i < pastN ? (history.temperatureC?.[i] ?? null) : null));
  const future = tsMs.slice(pastN);
  const local = localHours(tsMs, history.timeZone);
  const recent = recentDaysTemperature(
    pastT.slice(0, pastN),
    local.hourOfDay.subarray(0, pastN),
    local.hourOfDay.subarray(pastN),
  );
  const temperatureSource: HorizonForecast['temperatureSource'] = [];
  const futureT = future.map((_, k) => {
    const f = options.temperatureForecastC?.[k];
    if (f !== null && f !== undefined && Number.isFinite(f)) {
      temperatureSource.push('forecast');
      return f;
    }
    const r = recent[k] ?? Number.NaN;
    temperatureSource.push(Number.isNaN(r) ? 'none' : 'recent-days');
    return Number.isNaN(r) ? null : r;
  });
  const data = prepareSeries(
    { timeZone: history.timeZone, tsMs, kWh, temperatureC: [...pastT.slice(0, pastN), ...futureT] },
    calendar,
  );
  const pred = fitted.predict(data, { start: pastN, end: n }, pastN);
  const warnings: string[] = [];
  const lastDay = local.localDay[n - 1];
  const w = lastDay === undefined ? null : coverageWarning(calendar, lastDay);
  if (w) warnings.push(w);
  if (temperatureSource.includes('recent-days')) {
    warnings.push('no temperature forecast for some hours: used the recent-days model');
  }
  return {
    tsMs: future,
    kWh: Array.from(pred, (v) => (Number.isFinite(v) ? v : null)),
    temperatureC: futureT,
    temperatureSource,
    warnings,
  };
}
