import type { SensorKind } from '../config/schema/sensor.js';

/** The newest value of a sensor kind in a space (or at the site when `spaceId` is null). */
export interface SensorValueView {
  readonly sensorId: string;
  readonly value: number;
  readonly tsMs: number;
  readonly stale: boolean;
}

/** When a sensor was last heard from, for stale-data fallback. */
export interface SensorFreshnessView {
  readonly id: string;
  readonly siteId: string;
  readonly spaceId: string | null;
  readonly kind: SensorKind;
  readonly lastSeenMs?: number;
  readonly staleAfterMinutes: number;
}

export type OccupancyListener = (siteId: string, spaceId: string, occupied: boolean, tsMs: number) => void;

/** What the control loop reads from the sensors (the sensor service implements it). */
export interface SensorView {
  latest(siteId: string, spaceId: string | null, kind: SensorKind): SensorValueView | undefined;
  freshness(): readonly SensorFreshnessView[];
  /** Called synchronously from the sensor message handler; returns an unsubscribe function. */
  onOccupancy(listener: OccupancyListener): () => void;
}

/** What the control loop reads about a meter: proof that it is alive and responds. */
export interface MeterActivityView {
  readonly lastReadingTsMs: number | null;
  /** Readings accepted since the service started. */
  readonly accepted: number;
}

export interface MeterActivity {
  meter(meterId: string): MeterActivityView | undefined;
}

/** Hourly series starting at `tsMs[0]` (UTC hour starts). */
export interface HourlyForecastView {
  readonly tsMs: readonly number[];
  readonly values: readonly (number | null)[];
}

/** What the planner takes from the forecast service, when one runs. */
export interface PlanForecasts {
  /** Probability that the space is occupied, per hour. */
  occupancy(siteId: string, spaceId: string): HourlyForecastView | undefined;
  /** Outdoor temperature the space's forecast assumes, °C per hour. */
  outdoorTemperature(siteId: string, spaceId: string): HourlyForecastView | undefined;
}

/** Randomized savings designs: on `schedule` days the devices run their own schedules. */
export type DayArm = 'schedule' | 'optimized';
