import type { SeriesPoint } from '../domain/export/line-protocol.js';

export type { SeriesPoint } from '../domain/export/line-protocol.js';

/** Where the services' records go as time series. Never throws and never waits: it only queues. */
export interface PointSink {
  write(points: readonly SeriesPoint[]): void;
}

/** One encoded line waiting for the server, in the order it was queued. */
export interface OutboxEntry {
  readonly id: number;
  readonly line: string;
  readonly enqueuedAtMs: number;
}

/** Why the server refused lines for good. */
export interface Refusal {
  /** HTTP status, when there was a response. */
  readonly status: number | null;
  readonly reason: string;
}

/** A refused line as kept for an operator to look at. */
export interface DeadLetter extends Refusal {
  readonly line: string;
  readonly enqueuedAtMs: number;
  readonly failedAtMs: number;
}

/**
 * Durable queue of lines not yet taken by the server (survives restarts), and the dead letters the
 * server refused for good. Ids grow in queue order and are never reused.
 */
export interface PointOutbox {
  /** Queues lines in order; beyond `maxLines` the oldest are dropped. Returns how many were dropped. */
  append(lines: readonly string[], atMs: number, maxLines: number): number;
  /** The oldest `limit` entries, oldest first. */
  head(limit: number): OutboxEntry[];
  /** Removes entries the server took. */
  remove(ids: readonly number[]): void;
  /** Moves entries the server refused for good to the dead letters (keeping the newest `maxDead`). */
  deadLetter(entries: readonly OutboxEntry[], refusal: Refusal, atMs: number, maxDead: number): void;
  size(): number;
  deadLetterCount(): number;
  /** The newest dead letters, newest first. */
  deadLetters(limit: number): DeadLetter[];
}

/** What became of one batch, as the client's write callbacks reported it. */
export type WriteOutcome =
  | { readonly kind: 'written' }
  /** Not taken this time (down, timeout, 429, 5xx, or a credential problem an operator can fix). */
  | { readonly kind: 'retry'; readonly status: number | null; readonly reason: string }
  /** Refused for good (400, 413, 422): sending the same lines again cannot succeed. */
  | { readonly kind: 'refused'; readonly status: number | null; readonly reason: string };

/** Sends one batch of lines and says what happened; the only retry layer is the caller's. */
export interface LineWriter {
  send(lines: readonly string[]): Promise<WriteOutcome>;
  close(): Promise<void>;
}
