export interface FlushPaceOptions {
  /** The timed flushes' interval. */
  readonly intervalMs: number;
  /** Under load, writing is held to about this share of the time (0 to 1). */
  readonly writeShare: number;
  /** A timed flush waits at most this long after the last one ended. */
  readonly mostWaitMs: number;
  /** Readings held that start a flush at once. */
  readonly pendingLimit: number;
  /** The same under load, where it is larger (more memory for fewer, fuller writes). */
  readonly loadedPendingLimit: number;
}

/**
 * Paces the ingest flushes by what their writes cost. That cost is mostly per meter that changed
 * (its state record, and a page each of readings and interval rows rewritten), not per reading: with
 * 20,000 meters behind a backlog, a flush every 2 s carried about two readings per meter, and those
 * rewrites took most of the main thread. The service is under load when the last flush's writes
 * took more than `writeShare` of the interval. Then a timed flush waits until writing is back to
 * that share of the time (at most `mostWaitMs` after the last ended), and the pending limit rises
 * to `loadedPendingLimit`, so each write carries more readings per meter. Idle, a flush's writes
 * take milliseconds and nothing changes.
 */
export class FlushPace {
  private writeMs = 0;
  private endedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: FlushPaceOptions) {}

  /** A flush ended at `nowMs`, its writes (its pages, without the turns between them) took `writeMs`. */
  wrote(writeMs: number, nowMs: number): void {
    this.writeMs = writeMs;
    this.endedAtMs = nowMs;
  }

  get loaded(): boolean {
    return this.writeMs > this.options.writeShare * this.options.intervalMs;
  }

  /** Whether a timed flush at `nowMs` writes now, or waits for a later tick. */
  due(nowMs: number): boolean {
    if (!this.loaded) return true;
    const restMs = (this.writeMs * (1 - this.options.writeShare)) / this.options.writeShare;
    return nowMs - this.endedAtMs >= Math.min(restMs, this.options.mostWaitMs);
  }

  pendingLimit(): number {
    const { pendingLimit, loadedPendingLimit } = this.options;
    return this.loaded ? Math.max(pendingLimit, loadedPendingLimit) : pendingLimit;
  }
}
