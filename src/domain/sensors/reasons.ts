/**
 * Why a sensor message (or one kind decoded from it) was not used. Counted per sensor and reason,
 * logged rate-limited; never stops the service or touches other sensors.
 */
export const SENSOR_REJECT_REASONS = [
  'malformed-json',
  'wrong-type',
  'non-finite',
  /** Outside the physical range of its kind, e.g. a temperature outside -50..70 °C. */
  'out-of-range',
  'future-timestamp',
  'stale-timestamp',
  'oversize',
  'unknown-topic',
] as const;
export type SensorRejectReason = (typeof SENSOR_REJECT_REASONS)[number];

export interface SensorRejection {
  readonly ok: false;
  readonly reason: SensorRejectReason;
  /** Names the field and the value that was wrong. */
  readonly detail: string;
}

export function rejectSensor(reason: SensorRejectReason, detail: string): SensorRejection {
  return { ok: false, reason, detail };
}
