import type { Atomically, InboxRelease } from '../../ports/inbox.js';
import type { RejectionTally } from './rejection-tally.js';

export interface InboxBatchDeps {
  /** The write-ahead inbox whose rows the consumer deletes once their effects are stored. */
  readonly inbox?: InboxRelease | undefined;
  /** One store transaction around a flush's writes and the inbox deletion; without it each write stands alone. */
  readonly atomically?: Atomically | undefined;
}

/**
 * The inbox rows behind what a consumer holds, and the transaction that stores their effects and
 * deletes them together: a crash leaves either both or neither, so a replay at start stores each
 * message's effect exactly once. The rejections counted among those messages (`counts`) are sealed
 * with the rows and stored by the commit that releases them.
 */
export class InboxBatch {
  private seqs: number[] = [];
  private held: number[] = [];

  constructor(
    private readonly deps: InboxBatchDeps,
    private readonly counts?: RejectionTally,
  ) {}

  /** Inbox rows taken by the consumer and not yet released. */
  get count(): number {
    return this.seqs.length + this.held.length;
  }

  /** No inbox rows taken and no sealed rejection counts: a commit would write nothing of its own. */
  get idle(): boolean {
    return this.count === 0 && (this.counts?.sealedCount ?? 0) === 0;
  }

  /** A message with an inbox row reached the consumer (accepted, rejected or ignored alike). */
  add(seq: number | undefined): void {
    if (seq !== undefined) this.seqs.push(seq);
  }

  /**
   * The rows taken so far belong to what the consumer is about to hold: a commit with `seal: false`
   * releases these and not the rows of messages handled after this call.
   */
  seal(): void {
    this.counts?.seal();
    if (this.seqs.length === 0) return;
    this.held = this.held.length === 0 ? this.seqs : this.held.concat(this.seqs);
    this.seqs = [];
  }

  /**
   * Writes the parts and deletes the rows taken so far (`seal: false`: those sealed before;
   * `release: false`: none, for a page of a flush that is not its last); a commit that deletes rows
   * also stores the sealed rejection counts. With `atomically`, all in
   * one transaction and each part let go only after the commit; without it, each part is let go
   * once it is written (so a retry never writes it twice). Throws the store's error, keeping what
   * is not written.
   */
  commit(
    parts: readonly HeldWrite[],
    options: { readonly seal?: boolean; readonly release?: boolean } = {},
  ): void {
    if (options.seal ?? true) this.seal();
    const release = options.release ?? true;
    const held = release ? this.held : [];
    const counts = this.counts;
    const all = release && counts && counts.sealedCount > 0 ? [...parts, counts] : parts;
    const atomically = this.deps.atomically;
    if (atomically) {
      atomically(() => {
        for (const part of all) part.write();
        if (held.length > 0) this.deps.inbox?.release(held);
      });
      for (const part of all) part.letGo();
    } else {
      for (const part of all) {
        part.write();
        part.letGo();
      }
      if (held.length > 0) this.deps.inbox?.release(held);
    }
    if (held.length > 0) this.held = [];
  }
}

/** One part of a flush: written by one store call, let go once that write is committed. */
export interface HeldWrite {
  write(): void;
  letGo(): void;
}
