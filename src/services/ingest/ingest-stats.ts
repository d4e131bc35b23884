import type { RejectReason } from '../../domain/ingest/reasons.js';

export interface MeterStats {
  accepted: number;
  rejected: Partial<Record<RejectReason, number>>;
  duplicates: number;
  resets: number;
  rollovers: number;
  /** Readings that arrived after a later one and were placed between their neighbours. */
  late: number;
  /** Accepted without the quantity the meter is differenced on (stored raw only). */
  withoutValue: number;
  /** Retained messages without a timestamp: their time is unknown, so they are skipped. */
  retainedSkipped: number;
  /** Energy across gaps longer than maxGapMinutes, booked to no interval, kWh. */
  unapportionedKWh: number;
  /** Latest reading time accepted, ms. */
  lastReadingTsMs: number | null;
}

export interface IngestStats {
  readonly meters: Readonly<Record<string, MeterStats>>;
  /** Latest reading time per space, keyed `siteId/spaceId`. */
  readonly spaces: Readonly<Record<string, { lastReadingTsMs: number | null }>>;
  /** Messages on topics no meter is configured for, per topic. */
  readonly unknownTopics: Readonly<Record<string, number>>;
  /** Buffered or held after a failed write, not yet in the store. */
  readonly pendingReadings: number;
  readonly pendingIntervalRows: number;
  /** Failed write attempts since the start. */
  readonly writeFailures: number;
  /** When the current run of failed writes began; null while writes succeed. */
  readonly writeFailingSinceMs: number | null;
  /** The last paged flush's writes (its pages without the turns between them), in ms. */
  readonly lastFlushWriteMs: number;
  /** Whether timed flushes are spaced out, as their writes take more than their share (FlushPace). */
  readonly flushPaced: boolean;
}

export function emptyMeterStats(): MeterStats {
  return {
    accepted: 0,
    rejected: {},
    duplicates: 0,
    resets: 0,
    rollovers: 0,
    late: 0,
    withoutValue: 0,
    retainedSkipped: 0,
    unapportionedKWh: 0,
    lastReadingTsMs: null,
  };
}

export function cloneMeterStats(s: MeterStats): MeterStats {
  return { ...s, rejected: { ...s.rejected } };
}
