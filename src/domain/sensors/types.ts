import type { SensorFormat, SensorKind } from '../../config/schema/sensor.js';

export type { SensorFormat, SensorKind } from '../../config/schema/sensor.js';

/** One accepted sensor value. Occupancy is a count (0/1 for motion sensors): occupied when > 0. */
export interface SensorSample {
  readonly sensorId: string;
  readonly tsMs: number;
  /** °C for temperatures, lx for illuminance, people (or 1/0) for occupancy. */
  readonly value: number;
  readonly receivedAtMs: number;
}

/** Where a sensor sits: a space, or the site itself (the site outdoor temperature topic). */
export interface SensorRef {
  readonly sensorId: string;
  readonly siteId: string;
  /** Null for a site-level sensor. */
  readonly spaceId: string | null;
  readonly kind: SensorKind;
}

/** What one message adds to a sensor's 15-minute aggregate (accumulated by the store). */
export interface SensorQuarterDelta extends SensorRef {
  /** Quarter start, ms UTC (aligned to 15 minutes). */
  readonly startMs: number;
  /** Sum and count of sample values (temperatures, illuminance, occupancy messages). */
  readonly valueSum: number;
  readonly count: number;
  /** Occupancy only: time judged occupied, and time the state was known, within the quarter. */
  readonly occupiedMs: number;
  readonly observedMs: number;
}

/** A stored 15-minute aggregate: the deltas of one sensor and quarter, summed. */
export type SensorQuarter = SensorQuarterDelta;

/** Share of a space's 15-minute (or hourly) interval judged occupied. */
export interface OccupancyFraction {
  readonly startMs: number;
  /** 0..1: occupied time over observed time. */
  readonly fraction: number;
  /** 0..1: share of the interval whose state was known. */
  readonly observed: number;
}

export interface HourlyTemperature {
  readonly hourStartMs: number;
  readonly temperatureC: number;
  /** Samples averaged. */
  readonly samples: number;
}

export const SENSOR_QUARTER_MS = 15 * 60_000;

export function quarterStartMs(tsMs: number): number {
  return Math.floor(tsMs / SENSOR_QUARTER_MS) * SENSOR_QUARTER_MS;
}

export function isFormat(x: string): x is SensorFormat {
  return x === 'json' || x === 'number' || x === 'zigbee2mqtt';
}
