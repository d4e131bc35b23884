import type { SensorRejectReason } from '../../domain/sensors/reasons.js';

export interface SensorStats {
  accepted: number;
  rejected: Partial<Record<SensorRejectReason, number>>;
  /** Same timestamp as the latest sample: a redelivery. */
  duplicates: number;
  /** Older than the latest sample: stored, but the latest value is kept. */
  late: number;
  /** Messages on the topic that carried nothing for this sensor's kind. */
  absent: number;
  /** Retained messages without a timestamp: their time is unknown, so they are skipped. */
  retainedSkipped: number;
}

export interface SensorServiceStats {
  readonly sensors: Readonly<Record<string, SensorStats>>;
  readonly unknownTopics: Readonly<Record<string, number>>;
  /** Buffered or held after a failed write, not yet in the store. */
  readonly pendingSamples: number;
  /** Failed write attempts since the start. */
  readonly writeFailures: number;
  /** When the current run of failed writes began; null while writes succeed. */
  readonly writeFailingSinceMs: number | null;
}

export function emptySensorStats(): SensorStats {
  return { accepted: 0, rejected: {}, duplicates: 0, late: 0, absent: 0, retainedSkipped: 0 };
}

export function cloneSensorStats(s: SensorStats): SensorStats {
  return { ...s, rejected: { ...s.rejected } };
}
