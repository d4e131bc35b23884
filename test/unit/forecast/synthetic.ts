import { HOUR_MS, type HourlySeries } from '../../../src/domain/forecast/types.js';

/** 2021-01-04 00:00 UTC, a Monday. */
export const MONDAY_MS = Date.UTC(2021, 0, 4);

/** Deterministic pseudo-random in [0, 1) (LCG), so tests need no seed plumbing. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Occupied on weekdays 08:00-18:00 (UTC = building time here). */
export function isOccupied(i: number): boolean {
  const how = i % 168;
  return Math.floor(how / 24) < 5 && how % 24 >= 8 && how % 24 < 18;
}

/** Hourly temperature covering -5..35 °C over the series (seasonal + daily swing + noise). */
export function temperatures(n: number, rand: () => number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const season = 15 - 17 * Math.cos((2 * Math.PI * i) / (365 * 24));
    const daily = 4 * Math.sin((2 * Math.PI * ((i % 24) - 9)) / 24);
    return season + daily + (rand() - 0.5) * 6;
  });
}

export function series(
  kWh: (number | null)[],
  temperatureC?: (number | null)[],
  timeZone = 'UTC',
): HourlySeries {
  return {
    timeZone,
    tsMs: kWh.map((_, i) => MONDAY_MS + i * HOUR_MS),
    kWh,
    ...(temperatureC ? { temperatureC } : {}),
  };
}
