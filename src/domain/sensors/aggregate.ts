import {
  type HourlyTemperature,
  type OccupancyFraction,
  SENSOR_QUARTER_MS,
  type SensorQuarter,
} from './types.js';

const HOUR_MS = 3_600_000;

/**
 * A space's occupancy per quarter from the quarters of its occupancy sensors. Several sensors in one
 * space watch parts of it: the space counts as occupied as much as the most occupied sensor says (a
 * lower bound of "anyone anywhere"), observed as much as the best-observed one.
 */
export function spaceOccupancyByQuarter(quarters: readonly SensorQuarter[]): OccupancyFraction[] {
  const byStart = new Map<number, { fraction: number; observed: number }>();
  for (const q of quarters) {
    if (q.kind !== 'occupancy' || q.observedMs <= 0) continue;
    const fraction = Math.min(1, q.occupiedMs / q.observedMs);
    const observed = Math.min(1, q.observedMs / SENSOR_QUARTER_MS);
    const held = byStart.get(q.startMs);
    if (!held) byStart.set(q.startMs, { fraction, observed });
    else {
      held.fraction = Math.max(held.fraction, fraction);
      held.observed = Math.max(held.observed, observed);
    }
  }
  return [...byStart.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([startMs, v]) => ({ startMs, fraction: v.fraction, observed: v.observed }));
}

/** Quarter fractions merged into hours, weighted by the time observed in each quarter. */
export function hourlyOccupancy(quarters: readonly OccupancyFraction[]): OccupancyFraction[] {
  const byHour = new Map<number, { occupied: number; observed: number }>();
  for (const q of quarters) {
    const h = Math.floor(q.startMs / HOUR_MS) * HOUR_MS;
    const acc = byHour.get(h) ?? { occupied: 0, observed: 0 };
    acc.occupied += q.fraction * q.observed;
    acc.observed += q.observed;
    byHour.set(h, acc);
  }
  return [...byHour.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, v]) => v.observed > 0)
    .map(([startMs, v]) => ({ startMs, fraction: v.occupied / v.observed, observed: v.observed / 4 }));
}

/** Hourly mean temperature over every sample in the quarters given (one site's outdoor sensors). */
export function hourlyMeanTemperature(quarters: readonly SensorQuarter[]): HourlyTemperature[] {
  const byHour = new Map<number, { sum: number; n: number }>();
  for (const q of quarters) {
    if (q.count <= 0) continue;
    const h = Math.floor(q.startMs / HOUR_MS) * HOUR_MS;
    const acc = byHour.get(h) ?? { sum: 0, n: 0 };
    acc.sum += q.valueSum;
    acc.n += q.count;
    byHour.set(h, acc);
  }
  return [...byHour.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([hourStartMs, v]) => ({ hourStartMs, temperatureC: v.sum / v.n, samples: v.n }));
}
