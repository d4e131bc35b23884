import { HOUR_MS, type HourlySeries } from '../../domain/forecast/types.js';

/** One reading as read from a file, already in UTC, stamped at the START of its interval. */
export interface RawPoint {
  readonly startMs: number;
  /** Energy in the interval (kWh) or mean power (kW), per `unit`; null = missing. */
  readonly value: number | null;
  readonly temperatureC: number | null;
}

export interface GridOptions {
  readonly unit: 'kWh' | 'kW';
  /** Interval length of the readings in minutes (60 for hourly, 15 for quarter-hourly). */
  readonly stepMinutes: number;
  readonly buildingTimeZone: string;
  /** Include a temperature array even when no point has one. */
  readonly withTemperature: boolean;
}

/**
 * Aggregate readings onto a contiguous UTC hour grid. An hour gets a value when at least half of its
 * sub-intervals are present (scaled up to the full hour), else null; duplicate readings of the same
 * interval are averaged.
 */
export function toHourlySeries(points: readonly RawPoint[], opts: GridOptions): HourlySeries {
  const finite = points.filter((p) => Number.isFinite(p.startMs));
  if (finite.length === 0) {
    return {
      timeZone: opts.buildingTimeZone,
      tsMs: [],
      kWh: [],
      ...(opts.withTemperature ? { temperatureC: [] } : {}),
    };
  }
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of finite) {
    first = Math.min(first, p.startMs);
    last = Math.max(last, p.startMs);
  }
  const h0 = Math.floor(first / HOUR_MS) * HOUR_MS;
  const n = Math.floor(last / HOUR_MS) - h0 / HOUR_MS + 1;
  const perHour = Math.max(1, Math.round(60 / opts.stepMinutes));
  // Per sub-interval slot: sum and count, so duplicates average.
  const slots = n * perHour;
  const vSum = new Float64Array(slots);
  const vCnt = new Uint16Array(slots);
  const tSum = new Float64Array(n);
  const tCnt = new Uint16Array(n);
  for (const p of finite) {
    const hour = Math.floor((p.startMs - h0) / HOUR_MS);
    const slot =
      hour * perHour +
      Math.min(perHour - 1, Math.floor(((p.startMs - h0) % HOUR_MS) / (opts.stepMinutes * 60_000)));
    if (p.value !== null && Number.isFinite(p.value)) {
      vSum[slot] = (vSum[slot] ?? 0) + p.value;
      vCnt[slot] = (vCnt[slot] ?? 0) + 1;
    }
    if (p.temperatureC !== null && Number.isFinite(p.temperatureC)) {
      tSum[hour] = (tSum[hour] ?? 0) + p.temperatureC;
      tCnt[hour] = (tCnt[hour] ?? 0) + 1;
    }
  }
  const tsMs: number[] = new Array(n);
  const kWh: (number | null)[] = new Array(n);
  const temperatureC: (number | null)[] = new Array(n);
  let anyT = false;
  for (let h = 0; h < n; h++) {
    tsMs[h] = h0 + h * HOUR_MS;
    let present = 0;
    let mean = 0;
    for (let s = 0; s < perHour; s++) {
      const c = vCnt[h * perHour + s] ?? 0;
      if (c > 0) {
        present++;
        mean += (vSum[h * perHour + s] ?? 0) / c;
      }
    }
    if (present * 2 < perHour || present === 0) kWh[h] = null;
    else {
      mean /= present;
      // kW mean over the hour is kWh; kWh per sub-interval sums to the hour.
      kWh[h] = opts.unit === 'kW' ? mean : mean * perHour;
    }
    const tc = tCnt[h] ?? 0;
    temperatureC[h] = tc > 0 ? (tSum[h] ?? 0) / tc : null;
    if (tc > 0) anyT = true;
  }
  return {
    timeZone: opts.buildingTimeZone,
    tsMs,
    kWh,
    ...(anyT || opts.withTemperature ? { temperatureC } : {}),
  };
}

/** Put temperatures from another series (e.g. a weather file) onto a series' grid by timestamp. */
export function joinTemperature(series: HourlySeries, weather: ReadonlyMap<number, number>): HourlySeries {
  const temperatureC = series.tsMs.map((t) => weather.get(t) ?? null);
  return { ...series, temperatureC };
}

/** Linear interpolation over gaps of at most `maxGap` hours (weather archives drop single hours). */
export function fillShortGaps(values: readonly (number | null)[], maxGap: number): (number | null)[] {
  const out = [...values];
  let i = 0;
  while (i < out.length) {
    if (out[i] !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j] === null) j++;
    const before = i > 0 ? out[i - 1] : null;
    const after = j < out.length ? out[j] : null;
    if (before != null && after != null && j - i <= maxGap) {
      for (let k = i; k < j; k++) out[k] = before + ((after - before) * (k - i + 1)) / (j - i + 1);
    }
    i = j;
  }
  return out;
}
