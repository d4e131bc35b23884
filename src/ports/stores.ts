import type { EndUse, IntervalMinutes } from '../domain/energy.js';
import type { IntervalRow } from '../domain/ingest/interval-row.js';
import type {
  HourlyTemperature,
  OccupancyFraction,
  SensorKind,
  SensorQuarter,
  SensorQuarterDelta,
  SensorSample,
} from '../domain/sensors/types.js';

/** The row type belongs to the domain (ingest maths makes it); stores keep it. */
export type { IntervalRow };

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

export interface ReadingStore {
  appendReadings(readings: readonly StoredReading[]): void;
  /** Deletes raw readings older than the cutoff; returns how many were removed. */
  pruneReadingsBefore(cutoffMs: number): number;
  readingsFor(meterId: string, fromMs: number, toMs: number): StoredReading[];
  countReadings(meterId?: string): number;
}

/**
 * A meter's stored ingest state, opaque to the store: a binary record (domain/ingest/window-codec.ts),
 * or JSON text as earlier releases wrote it. What is saved is loaded back as it was.
 */
export type StoredMeterState = string | Uint8Array;

/** Per-meter state that ingest needs across restarts (the meter's recent readings). */
export interface MeterStateStore {
  loadMeterState(meterId: string): StoredMeterState | undefined;
  saveMeterState(meterId: string, state: StoredMeterState): void;
  /** Saves many meters' states in one transaction (a flush writes every meter whose state changed). */
  saveMeterStates(states: ReadonlyMap<string, StoredMeterState>): void;
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

/** Small persistent settings (e.g. the simulated clock position). Values are opaque strings. */
export interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** How many inputs were rejected, per meter and reason. */
export interface RejectionCount {
  readonly meterId: string;
  readonly reason: string;
  readonly count: number;
}

export interface CounterStore {
  /**
   * Adds `by` (default 1, a non-negative integer) to the counter of (meterId, reason); returns its
   * total as the store now holds it (inside a transaction, before the commit).
   */
  increment(meterId: string, reason: string, by?: number): number;
  /** Every counter, ordered by meter then reason. */
  counts(): RejectionCount[];
}

/** Per-space control mode: off does nothing, shadow decides and logs, active also publishes. */
export type ControlMode = 'off' | 'shadow' | 'active';

/** One setpoint as decided, with what it was decided from; JSON fields are serialized by the caller. */
export interface SetpointAuditEntry {
  /** The setpoint id carried in the published payload; unique. */
  readonly id: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly deviceId: string;
  /** Device kind, e.g. `lighting` or `hvac`. */
  readonly kind: string;
  readonly valueJson: string;
  readonly reason: string;
  readonly mode: ControlMode;
  readonly inputsJson: string;
  readonly decidedAtMs: number;
  readonly validUntilMs: number;
  readonly planId: string;
  /** Null until published (never, in shadow mode). */
  readonly publishedAtMs: number | null;
  /** Null until a controller echoes the setpoint id. */
  readonly acknowledgedAtMs: number | null;
}

export interface SetpointAuditQuery {
  readonly siteId?: string;
  readonly spaceId?: string;
  readonly deviceId?: string;
  /** Decision time range, [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  /** At most this many entries, newest last; default unlimited. */
  readonly limit?: number;
}

export interface SetpointAuditStore {
  /** Records a decision; publishedAtMs / acknowledgedAtMs given here are kept. A duplicate id throws. */
  record(entry: SetpointAuditEntry): void;
  /** Sets the publish time once (the first publish counts); false if the id is unknown. */
  markPublished(id: string, atMs: number): boolean;
  /** Sets the acknowledgement time once (the first echo counts); false if the id is unknown. */
  markAcknowledged(id: string, atMs: number): boolean;
  get(id: string): SetpointAuditEntry | undefined;
  /** Entries by decision time ascending (ties by id). */
  query(query: SetpointAuditQuery): SetpointAuditEntry[];
  /** The latest decision for a device (by decidedAtMs, then id), e.g. to avoid re-publishing after a restart. */
  latestForDevice(siteId: string, spaceId: string, deviceId: string): SetpointAuditEntry | undefined;
}

/** Measured savings come from active control; estimated ones from shadow mode. Never summed together. */
export type LedgerKind = 'measured' | 'estimated';

/** Savings of one space and end use in one hour, by one method. */
export interface LedgerRow {
  readonly hourStartMs: number;
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  readonly baselineKWh: number;
  readonly measuredKWh: number;
  /** baseline - measured, as computed by the savings service. */
  readonly avoidedKWh: number;
  /** Value of the avoided energy at the meter's tariff, in `currency`. */
  readonly cost: number;
  /** ISO 4217 code of `cost` (the tariff's currency). */
  readonly currency: string;
  /** Emissions avoided at the site's grid factor, kg CO2. */
  readonly co2Kg: number;
  readonly kind: LedgerKind;
  /** e.g. `baseline` or `randomized`. */
  readonly method: string;
  readonly baselineVersion: string;
}

export interface LedgerQuery {
  /** Required: measured and estimated rows are never mixed. */
  readonly kind: LedgerKind;
  /** Required: two methods over the same hours would count the same savings twice. */
  readonly method: string;
  /** Hour-start range, [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly siteId?: string;
  readonly spaceId?: string;
  readonly endUse?: EndUse;
}

/** Sums over one (site, space, end use) for one kind and method. */
export interface LedgerTotals {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  readonly kind: LedgerKind;
  readonly method: string;
  readonly hours: number;
  readonly baselineKWh: number;
  readonly measuredKWh: number;
  readonly avoidedKWh: number;
  readonly cost: number;
  readonly currency: string;
  readonly co2Kg: number;
}

/** A ledger query cut into periods (e.g. local days or months), each [fromMs, toMs). */
export interface LedgerPeriodQuery {
  readonly kind: LedgerKind;
  readonly method: string;
  /** Ascending, disjoint periods; rows outside every period are not counted. */
  readonly periods: readonly { readonly fromMs: number; readonly toMs: number }[];
  readonly siteId?: string;
  readonly spaceId?: string;
  readonly endUse?: EndUse;
}

/** Sums of one period and one series (site, space, end use) in one currency. */
export interface LedgerPeriodTotals extends LedgerTotals {
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  /** Distinct baseline versions (or design ids) of the rows, sorted. */
  readonly versions: readonly string[];
}

export interface SavingsLedgerStore {
  /**
   * Inserts or replaces rows keyed by (site, space, hour, end use, kind, method): recomputing an hour
   * overwrites it (including its baseline version), so re-running a roll-up never double counts.
   */
  upsertLedger(rows: readonly LedgerRow[]): void;
  ledgerRows(query: LedgerQuery): LedgerRow[];
  /**
   * Totals per (site, space, end use), ordered by those. End uses stay apart because a `total` meter
   * already includes the lighting and hvac it contains.
   */
  sumLedger(query: LedgerQuery): LedgerTotals[];
  /**
   * Totals per period and (site, space, end use, currency), ordered by period then those: one
   * grouped query, so a year of hourly rows is summed in the store, not row by row by the caller.
   */
  sumLedgerByPeriod(query: LedgerPeriodQuery): LedgerPeriodTotals[];
}

/** One fitted model, as versioned JSON. */
export interface ModelRecord {
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  /** e.g. `seasonal-naive`, `towt`. */
  readonly modelKind: string;
  /** 1, 2, ... per (site, space, end use, model kind), assigned on save. */
  readonly version: number;
  readonly createdAtMs: number;
  readonly json: string;
}

export interface ModelRegistryStore {
  /** Stores the next version for (site, space, end use, model kind) and returns the saved record. */
  saveModel(model: Omit<ModelRecord, 'version'>): ModelRecord;
  getModel(
    siteId: string,
    spaceId: string,
    endUse: EndUse,
    modelKind: string,
    version: number,
  ): ModelRecord | undefined;
  /** Highest version of one kind, or with no kind the most recently created model of any kind. */
  latestModel(siteId: string, spaceId: string, endUse: EndUse, modelKind?: string): ModelRecord | undefined;
  /** Metadata and JSON of every stored version, ordered by site, space, end use, kind, version. */
  listModels(filter?: { readonly siteId?: string; readonly spaceId?: string }): ModelRecord[];
}

/** Sensor samples (raw, bounded retention) and their 15-minute aggregates (kept for forecasting). */
export interface SensorStore {
  /** One sample per (sensor, timestamp): a redelivered sample is ignored. */
  appendSamples(samples: readonly SensorSample[]): void;
  /** Adds to the quarters (creating them): sums, counts and occupancy times accumulate. */
  addQuarters(deltas: readonly SensorQuarterDelta[]): void;
  /** Deletes raw samples older than the cutoff (aggregates stay); returns how many were removed. */
  pruneSamplesBefore(cutoffMs: number): number;
  /** The newest sample of every sensor, to restore the latest values after a restart. */
  latestSamples(): SensorSample[];
  /** Raw samples of one sensor in [fromMs, toMs), oldest first. */
  samplesFor(sensorId: string, fromMs: number, toMs: number): SensorSample[];
  /** Stored quarters with start in [fromMs, toMs), by start then sensor. */
  quartersFor(query: {
    readonly siteId: string;
    readonly spaceId?: string | null;
    readonly kind?: SensorKind;
    readonly fromMs: number;
    readonly toMs: number;
  }): SensorQuarter[];
  /** A space's occupied share per 15 minutes (or per hour) in [fromMs, toMs); unobserved intervals are left out. */
  occupancyFractionFor(
    space: { readonly siteId: string; readonly spaceId: string },
    fromMs: number,
    toMs: number,
    minutes?: 15 | 60,
  ): OccupancyFraction[];
  /** Hourly mean outdoor temperature of a site (its topic and any outdoor sensors in its spaces). */
  outdoorTemperatureHourly(siteId: string, fromMs: number, toMs: number): HourlyTemperature[];
}

/** One import of a meter's history file, as recorded. */
export interface HistoryImportRecord {
  readonly meterId: string;
  readonly fileName: string;
  readonly fileSha256: string;
  /** The reading options (layout, zone, hour-ending, zero-missing) the file was read with. */
  readonly optionsKey: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly rows: number;
  readonly written: number;
  readonly skippedLive: number;
  readonly importedAtMs: number;
}

export interface HistoryImportOutcome {
  /** Interval rows created. */
  readonly written: number;
  /** Interval rows an earlier import had written, now replaced (not added to). */
  readonly replaced: number;
  /** Interval rows left alone because live ingest already wrote them: live rows win. */
  readonly skippedLive: number;
}

export interface HistoryImportStore {
  /** The earlier import of the same file for the meter with the same options, if any. */
  findImport(meterId: string, fileSha256: string, optionsKey: string): HistoryImportRecord | undefined;
  /** Earliest time of the meter's live data: its first raw reading or first interval not written by an import. */
  firstLiveMs(meterId: string): number | undefined;
  /**
   * In one transaction: writes the rows into the interval table, replacing rows an import wrote and
   * skipping rows live ingest wrote, and records the import.
   */
  applyImport(
    record: Omit<HistoryImportRecord, 'written' | 'skippedLive'>,
    rows: readonly IntervalRow[],
    onProgress?: (done: number) => void,
  ): HistoryImportOutcome;
}
