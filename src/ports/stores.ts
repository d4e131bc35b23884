import type { EndUse, IntervalMinutes } from '../domain/energy.js';

/** One decoded, validated meter reading as it arrived. */
export interface StoredReading {
  readonly meterId: string;
  readonly tsMs: number;
  /** Cumulative register, kWh (already multiplied by the meter's unit multiplier). */
  readonly energyKWh?: number;
  /** Instantaneous power, W. */
  readonly powerW?: number;
  readonly receivedAtMs: number;
}

/** Energy of one meter in one interval. `missing` intervals carry no energy figure. */
export interface IntervalRow {
  readonly meterId: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  readonly minutes: IntervalMinutes;
  /** Interval start, ms since epoch (UTC). */
  readonly startMs: number;
  /** Energy apportioned to this interval so far, kWh. Null when the interval is marked missing. */
  readonly energyKWh: number | null;
  /** Share of the interval covered by readings, 0..1. */
  readonly coverage: number;
  readonly missing: boolean;
}

export interface ReadingStore {
  appendReadings(readings: readonly StoredReading[]): void;
  /** Deletes raw readings older than the cutoff; returns how many were removed. */
  pruneReadingsBefore(cutoffMs: number): number;
  readingsFor(meterId: string, fromMs: number, toMs: number): StoredReading[];
  countReadings(meterId?: string): number;
}

/** Per-meter state that ingest needs across restarts (the last register value seen, etc.). */
export interface MeterStateStore {
  loadMeterState(meterId: string): string | undefined;
  saveMeterState(meterId: string, stateJson: string): void;
}

export interface IntervalStore {
  /** Adds energy to intervals (creating them); rows for the same key accumulate. */
  addIntervals(rows: readonly IntervalRow[]): void;
  intervalsFor(query: {
    readonly meterId?: string;
    readonly spaceId?: string;
    readonly endUse?: EndUse;
    readonly minutes: IntervalMinutes;
    readonly fromMs: number;
    readonly toMs: number;
  }): IntervalRow[];
  /** Number of interval rows per space, for the demo banner and checks. */
  countIntervalsBySpace(minutes: IntervalMinutes): Map<string, number>;
}
