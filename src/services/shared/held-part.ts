import type { HeldWrite } from './inbox-batch.js';

/**
 * Rows a flush took out of its buffers and has not yet written. `write` is one store call and keeps
 * the rows; they are let go once that write is committed (InboxBatch), so a failed write keeps them
 * for the next flush, with whatever arrived since appended behind them in order.
 */
export class HeldPart<T> implements HeldWrite {
  private rows: T[] = [];

  constructor(private readonly writeAll: (rows: readonly T[]) => void) {}

  get count(): number {
    return this.rows.length;
  }

  take(rows: T[]): void {
    if (rows.length === 0) return;
    this.rows = this.rows.length === 0 ? rows : this.rows.concat(rows);
  }

  /** Throws the store's error; keeps every row either way. */
  write(): void {
    if (this.rows.length > 0) this.writeAll(this.rows);
  }

  letGo(): void {
    this.rows = [];
  }
}
