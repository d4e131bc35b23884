import type { InboundMessage } from './message-bus.js';

/** The consumer name of rows that arrived before any handler subscribed to their topic. */
export const UNROUTED = '';

/** A message and the consumers it is kept for. */
export interface InboxAppend {
  readonly consumers: readonly string[];
  readonly message: InboundMessage;
}

/** One message kept in the write-ahead inbox. */
export interface InboxRow {
  readonly seq: number;
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly retained: boolean;
  readonly receivedAtMs: number;
}

/**
 * The write-ahead inbox: every QoS 1 reading or sample is appended here before the broker gets its
 * acknowledgement, one row per consumer that must store its effect ({@link UNROUTED} until one
 * claims it). A consumer deletes its rows in the same transaction that stores what they produced,
 * so a crash leaves exactly the rows whose effects are not stored, and they are replayed at start.
 */
export interface Inbox {
  /** Appends the message once per consumer, all or none; returns the rows' seqs in that order. Throws when the store refuses. */
  append(consumers: readonly string[], message: InboundMessage): number[];
  /**
   * Appends each message once per its consumers, in order, all or none (a burst); returns each
   * message's seqs as `append` does. Throws when the store refuses.
   */
  appendAll(appends: readonly InboxAppend[]): number[][];
  /** The consumer's rows with seq above `afterSeq`, oldest first, at most `limit`. */
  pending(consumer: string, afterSeq: number, limit: number): InboxRow[];
  /** Copies an unrouted row to a consumer; returns the copy's seq. */
  route(seq: number, consumer: string): number;
  /** Deletes every unrouted row; returns how many there were. */
  dropUnrouted(): number;
  /** Deletes rows whose effects are stored: call inside the transaction that stores them. */
  release(seqs: readonly number[]): void;
}

/** What a consumer needs: deleting its rows once their effects are stored. */
export type InboxRelease = Pick<Inbox, 'release'>;

/** Runs `fn` as one store transaction: all of its writes are stored, or none. */
export type Atomically = <T>(fn: () => T) => T;
