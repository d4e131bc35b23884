import { effectiveWeekday, type HolidayCalendar, NO_HOLIDAYS } from '../calendar/holidays.js';
import { localHours } from '../calendar/local-time.js';
import { type HourlySeries, type PredictionHours, toFloat, validateSeries } from './types.js';

/**
 * A series turned into the arrays the numeric kernels use, computed once and shared by every fit
 * and prediction on it: NaN-coded energy and temperature, and the local hour-of-week (Monday 00:00
 * = 0) after holidays and adjusted working days are mapped onto the weekday they behave like.
 */
export interface PreparedSeries {
  readonly n: number;
  readonly timeZone: string;
  readonly tsMs: Float64Array;
  /** kWh, NaN = missing. Empty for prediction-only hours. */
  readonly y: Float64Array;
  /** °C, NaN = missing. */
  readonly tempC: Float64Array;
  readonly hasTemperature: boolean;
  /** Local hour-of-week 0..167 (effective, after the holiday calendar). */
  readonly how: Uint8Array;
  /** Local month 0..11. */
  readonly month: Uint8Array;
  /** Local day number (days since 1970-01-01 of the local date). */
  readonly localDay: Int32Array;
  readonly hourOfDay: Uint8Array;
  readonly calendarId: string;
}

export function prepareSeries(
  series: HourlySeries | PredictionHours,
  calendar: HolidayCalendar = NO_HOLIDAYS,
): PreparedSeries {
  const problems = validateSeries(series);
  if (problems.length > 0) throw new Error(`invalid hourly series: ${problems.join('; ')}`);
  const n = series.tsMs.length;
  const local = localHours(series.tsMs, series.timeZone);
  const how = new Uint8Array(n);
  let lastDay = Number.NaN;
  let lastWd = 0;
  for (let i = 0; i < n; i++) {
    const day = local.localDay[i] ?? 0;
    if (day !== lastDay) {
      lastDay = day;
      lastWd = effectiveWeekday(local.weekday[i] ?? 0, calendar.kindOf(day));
    }
    how[i] = lastWd * 24 + (local.hourOfDay[i] ?? 0);
  }
  const tempC = toFloat(series.temperatureC, n);
  let tCount = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(tempC[i] ?? Number.NaN)) tCount++;
  return {
    n,
    timeZone: series.timeZone,
    tsMs: Float64Array.from(series.tsMs),
    y: 'kWh' in series ? toFloat(series.kWh, n) : new Float64Array(n).fill(Number.NaN),
    tempC,
    hasTemperature: tCount > 0,
    how,
    month: local.month,
    localDay: local.localDay,
    hourOfDay: local.hourOfDay,
    calendarId: calendar.id,
  };
}

/** Local calendar month key (year * 12 + month 0..11) of each index in [start, end). */
export function localMonthKeys(data: PreparedSeries, start = 0, end = data.n): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  let lastDay = Number.NaN;
  let lastKey = 0;
  for (let i = start; i < end; i++) {
    const day = data.localDay[i] ?? 0;
    if (day !== lastDay) {
      const d = new Date(day * 86_400_000);
      lastKey = d.getUTCFullYear() * 12 + d.getUTCMonth();
      lastDay = day;
    }
    out[i - start] = lastKey;
  }
  return out;
}

/** Index of the first hour of the local calendar year after the first hour's year (or n). */
export function secondYearStart(data: PreparedSeries): number {
  const keys = localMonthKeys(data);
  const firstYear = Math.floor((keys[0] ?? 0) / 12);
  for (let i = 0; i < keys.length; i++) if (Math.floor((keys[i] ?? 0) / 12) > firstYear) return i;
  return data.n;
}
