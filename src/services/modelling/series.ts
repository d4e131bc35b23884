/**
 * Hourly series of one space and end use from the interval store: the energy of every meter of that
 * end use summed per hour, and the site's outdoor temperature. An hour counts only when each meter
 * covered it (at least MIN_COVERAGE and not marked missing); otherwise it is null, never 0, so a
 * gap or the hour still in progress is not mistaken for a quiet hour.
 */
import type { EndUse } from '../../domain/energy.js';
import { HOUR_MS, type HourlySeries } from '../../domain/forecast/types.js';
import type { HourlyTemperature, OccupancyFraction } from '../../domain/sensors/types.js';
import type { IntervalStore } from '../../ports/stores.js';

export const MIN_COVERAGE = 0.9;

export interface SeriesKey {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
}

/** Outdoor temperature per hour of a site (the sensor store), [fromMs, toMs). */
export type TemperatureHistory = (
  siteId: string,
  fromMs: number,
  toMs: number,
) => readonly HourlyTemperature[];
/** Occupied share per hour of a space (the sensor store), [fromMs, toMs). */
export type OccupancyHourly = (
  siteId: string,
  spaceId: string,
  fromMs: number,
  toMs: number,
) => readonly OccupancyFraction[];

export const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** Metered kWh per hour of [fromMs, toMs) (both on the hour); null where any meter lacks the hour. */
export function hourlyEnergy(
  intervals: IntervalStore,
  key: SeriesKey,
  meterIds: readonly string[],
  fromMs: number,
  toMs: number,
): (number | null)[] {
  const n = Math.max(0, Math.round((toMs - fromMs) / HOUR_MS));
  const sum = new Float64Array(n);
  const seen = new Uint16Array(n);
  const bad = new Uint8Array(n);
  const wanted = new Set(meterIds);
  const rows = intervals.intervalsFor({
    spaceId: key.spaceId,
    endUse: key.endUse,
    minutes: 60,
    fromMs,
    toMs,
  });
  for (const r of rows) {
    if (r.siteId !== key.siteId || !wanted.has(r.meterId)) continue;
    const i = Math.round((r.startMs - fromMs) / HOUR_MS);
    if (i < 0 || i >= n) continue;
    if (r.missing || r.energyKWh === null || r.coverage < MIN_COVERAGE) bad[i] = 1;
    else {
      sum[i] = (sum[i] ?? 0) + r.energyKWh;
      seen[i] = (seen[i] ?? 0) + 1;
    }
  }
  return Array.from(sum, (v, i) => (bad[i] === 0 && seen[i] === wanted.size ? v : null));
}

export function hourGrid(fromMs: number, toMs: number): number[] {
  const n = Math.max(0, Math.round((toMs - fromMs) / HOUR_MS));
  return Array.from({ length: n }, (_, i) => fromMs + i * HOUR_MS);
}

/** The series the models read: energy plus outdoor temperature where known. */
export function buildSeries(
  intervals: IntervalStore,
  temperature: TemperatureHistory | undefined,
  key: SeriesKey,
  meterIds: readonly string[],
  timeZone: string,
  fromMs: number,
  toMs: number,
): HourlySeries {
  const tsMs = hourGrid(fromMs, toMs);
  const kWh = hourlyEnergy(intervals, key, meterIds, fromMs, toMs);
  if (!temperature) return { timeZone, tsMs, kWh };
  const byHour = new Map(temperature(key.siteId, fromMs, toMs).map((t) => [t.hourStartMs, t.temperatureC]));
  if (byHour.size === 0) return { timeZone, tsMs, kWh };
  return { timeZone, tsMs, kWh, temperatureC: tsMs.map((t) => byHour.get(t) ?? null) };
}

/** Occupied share per hour of the grid (null = not observed). */
export function occupancySeries(
  occupancy: OccupancyHourly,
  siteId: string,
  spaceId: string,
  fromMs: number,
  toMs: number,
): (number | null)[] {
  const byHour = new Map<number, number>();
  for (const o of occupancy(siteId, spaceId, fromMs, toMs)) {
    if (o.observed > 0) byHour.set(floorHour(o.startMs), o.fraction);
  }
  return hourGrid(fromMs, toMs).map((t) => byHour.get(t) ?? null);
}
