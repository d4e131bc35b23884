/**
 * Why an inbound meter message was not used. Each is counted per meter and reason and logged
 * (rate-limited) with the topic; none of them ever stops ingest or touches other meters.
 */
export const REJECT_REASONS = [
  'malformed-json',
  'wrong-type',
  'non-finite',
  'negative',
  'absurd-jump',
  'future-timestamp',
  'stale-timestamp',
  'oversize',
  'unknown-topic',
  /** Same timestamp as a reading already held, with a different value: the first one stands. */
  'conflicting-duplicate',
  /** Older than the oldest reading still held for re-splitting: its span is already final. */
  'too-late',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  /** Human-readable: names the field and the value that was wrong. */
  readonly detail: string;
}

export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}
