import type { CounterStore } from '../../ports/stores.js';
import type { HeldWrite } from './inbox-batch.js';

interface Count {
  readonly sourceId: string;
  readonly reason: string;
  n: number;
}

/**
 * Rejections counted in memory and stored by the flush that deletes their messages' inbox rows, in
 * the same transaction: a crash before it loses both the counts and nothing else (the replay counts
 * the messages again, once), and a flood of bad input costs one counter write per source and reason
 * per flush instead of a transaction per message. The consumer's InboxBatch seals it with the rows
 * and writes it with the commit that releases them.
 */
export class RejectionTally implements HeldWrite {
  private counting = new Map<string, Count>();
  private sealed = new Map<string, Count>();

  constructor(private readonly store: CounterStore) {}

  /** Sealed counts not yet stored. */
  get sealedCount(): number {
    return this.sealed.size;
  }

  add(sourceId: string, reason: string): void {
    const key = `${sourceId}\u0000${reason}`;
    const count = this.counting.get(key);
    if (count) count.n += 1;
    else this.counting.set(key, { sourceId, reason, n: 1 });
  }

  /** What was counted so far goes with the next write (behind what a failed write kept). */
  seal(): void {
    if (this.counting.size === 0) return;
    if (this.sealed.size === 0) this.sealed = this.counting;
    else {
      for (const [key, count] of this.counting) {
        const held = this.sealed.get(key);
        if (held) held.n += count.n;
        else this.sealed.set(key, count);
      }
    }
    this.counting = new Map();
  }

  /**
   * Throws the store's error; keeps the sealed counts either way. One increment per source and
   * reason: only inside the flush's transaction (InboxBatch's `atomically`) is a failure part-way
   * through undone, so that the retry adds each count once.
   */
  write(): void {
    for (const c of this.sealed.values()) this.store.increment(c.sourceId, c.reason, c.n);
  }

  letGo(): void {
    this.sealed = new Map();
  }
}
