/**
 * Hourly series shared by the forecasting and M&V code.
 *
 * A series is a contiguous grid of UTC hours: `tsMs[i] = tsMs[0] + i * HOUR_MS`, every array the same
 * length. A missing reading is `null` (never 0 and never NaN in this public shape), so "zero means
 * missing" is decided once, by the reader, not by each model. `timeZone` is the IANA zone the building
 * lives by: hour-of-week and day types are taken in that zone, whatever zone the timestamps came in.
 */
export const HOUR_MS = 3_600_000;

export interface HourlySeries {
  /** IANA time zone the building runs by, e.g. 'Europe/London', 'Asia/Shanghai'. */
  readonly timeZone: string;
  /** UTC start of each hour, ms since the epoch; contiguous, step HOUR_MS. */
  readonly tsMs: readonly number[];
  /** Energy in the hour, kWh; null = missing. */
  readonly kWh: readonly (number | null)[];
  /** Outdoor air temperature for the hour, °C; null = missing. Absent = no temperature at all. */
  readonly temperatureC?: readonly (number | null)[];
}

/** Hours a model is asked to predict: same grid rules as a series, no energy. */
export interface PredictionHours {
  readonly timeZone: string;
  readonly tsMs: readonly number[];
  readonly temperatureC?: readonly (number | null)[];
}

/** Half-open index range [start, end) into a series. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** Check the grid rules; returns a list of problems (empty = valid). */
export function validateSeries(series: HourlySeries | PredictionHours): string[] {
  const problems: string[] = [];
  const n = series.tsMs.length;
  if ('kWh' in series && series.kWh.length !== n)
    problems.push(`kWh has ${series.kWh.length} values, tsMs has ${n}`);
  if (series.temperatureC && series.temperatureC.length !== n) {
    problems.push(`temperatureC has ${series.temperatureC.length} values, tsMs has ${n}`);
  }
  for (let i = 1; i < n; i++) {
    const step = (series.tsMs[i] ?? 0) - (series.tsMs[i - 1] ?? 0);
    if (step !== HOUR_MS) {
      problems.push(`tsMs is not a contiguous hourly grid at index ${i} (step ${step} ms)`);
      break;
    }
  }
  if (n > 0 && (series.tsMs[0] ?? 0) % HOUR_MS !== 0) problems.push('tsMs[0] is not on a UTC hour boundary');
  return problems;
}

/** NaN-coded copy for the numeric kernels (null -> NaN). */
export function toFloat(values: readonly (number | null)[] | undefined, n: number): Float64Array {
  const out = new Float64Array(n).fill(Number.NaN);
  if (!values) return out;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out[i] = v;
  }
  return out;
}
