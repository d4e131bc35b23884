/**
 * Rows a flush took out of its buffers and has not yet written. The write is one store call (one
 * transaction); the rows are let go only once it returns, so a failed write keeps them for the next
 * flush, with whatever arrived since appended behind them in order.
 */
export class HeldPart<T> {
  private rows: T[] = [];

  constructor(private readonly writeAll: (rows: readonly T[]) => void) {}

  get count(): number {
    return this.rows.length;
  }

  take(rows: T[]): void {
    if (rows.length === 0) return;
    this.rows = this.rows.length === 0 ? rows : this.rows.concat(rows);
  }

  /** Throws the store's error, keeping every row. */
  write(): void {
    if (this.rows.length === 0) return;
    this.writeAll(this.rows);
    this.rows = [];
  }
}
