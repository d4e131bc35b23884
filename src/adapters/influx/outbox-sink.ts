import { encodePoint } from '../../domain/export/line-protocol.js';
import { backoffMs } from '../../domain/time/backoff.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertSink } from '../../ports/operations.js';
import type {
  LineWriter,
  OutboxEntry,
  PointOutbox,
  PointSink,
  Refusal,
  SeriesPoint,
} from '../../ports/series-export.js';

export interface OutboxSinkOptions {
  /** Lines per write request. */
  readonly batchLines: number;
  /** How often queued points are moved to the outbox and sent (wall-clock time). */
  readonly flushMs: number;
  /** Wait after the first failed write; doubled after each further one up to `maxBackoffMs`. */
  readonly firstBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Outbox bound, in lines: beyond it the oldest are dropped (docs/influxdb.md). */
  readonly maxOutboxLines: number;
  readonly maxDeadLetters: number;
  /** Writes failing this long raise the `export-unreachable` alert. */
  readonly alertAfterMs: number;
}

export interface OutboxSinkDeps {
  readonly outbox: PointOutbox;
  readonly writer: LineWriter;
  /** Wall-clock time (the outbox and its alerts are about real waits, also under simulated time). */
  readonly clock: Clock;
  readonly alerts: AlertSink;
  readonly log: Logger;
  readonly options: OutboxSinkOptions;
}

/** What happened to the lines, counted from the write callbacks' outcomes. */
export interface OutboxSinkStats {
  written: number;
  failedRequests: number;
  refused: number;
  dropped: number;
}

const UNREACHABLE = { kind: 'export-unreachable', siteId: null, spaceId: null } as const;
const REFUSED = { kind: 'export-refused', siteId: null, spaceId: null } as const;
const FULL = { kind: 'export-outbox-full', siteId: null, spaceId: null } as const;

/**
 * Points to a time-series server without losing any: `write` only queues (a later point of the same
 * series and time replaces an earlier one still queued); every `flushMs` the queue goes to the
 * durable outbox in SQLite, which one sender drains oldest first. Lines the server does not take
 * stay at the head and are sent again after a doubling wait, so order holds, also across restarts;
 * lines it refuses for good are found by halving the batch and moved to the dead letters, so they
 * never block the rest. The only retry layer: the writer's client retries nothing.
 */
export class OutboxSink implements PointSink, Component {
  readonly name = 'influx-sink';
  private pending = new Map<string, string>();
  private readonly stats: OutboxSinkStats = { written: 0, failedRequests: 0, refused: 0, dropped: 0 };
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private failures = 0;
  private failingSinceMs: number | null = null;
  private stopped = false;
  private stopping = false;

  constructor(private readonly deps: OutboxSinkDeps) {}

  async start(): Promise<void> {
    this.stopped = this.stopping = false;
    this.flushTimer = setInterval(() => this.flush(), this.deps.options.flushMs);
    this.flushTimer.unref?.();
    const waiting = this.deps.outbox.size();
    if (waiting > 0)
      this.deps.log.info({ waiting }, 'influx outbox holds points from before; sending them first');
    if (this.deps.outbox.deadLetterCount() === 0) this.deps.alerts.clear(REFUSED);
    this.kick();
  }

  /**
   * Queues the points in the outbox (durable), then sends what it can while the server takes it:
   * a last send that fails (at worst after one timeout) leaves the rest for the next start.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.flushTimer = this.retryTimer = undefined;
    this.persistPending();
    await this.draining;
    if (this.failures === 0 && !this.stopped) {
      this.kick();
      await this.draining;
    }
    this.stopped = true;
    await this.deps.writer.close().catch((error: unknown) => {
      this.deps.log.warn({ err: String(error) }, 'influx writer did not close cleanly');
    });
    const waiting = this.deps.outbox.size();
    if (waiting > 0) this.deps.log.info({ waiting }, 'influx outbox kept for the next start');
  }

  write(points: readonly SeriesPoint[]): void {
    try {
      for (const p of points) {
        const encoded = encodePoint(p);
        if (!encoded) continue;
        // Delete first so a rewritten point moves behind the lines queued before it.
        this.pending.delete(encoded.key);
        this.pending.set(encoded.key, encoded.line);
      }
      if (this.pending.size >= this.deps.options.batchLines) this.flush();
    } catch (error) {
      this.deps.log.error({ err: String(error) }, 'points not queued for influx');
    }
  }

  /** Counts so far (tests, metrics). */
  counts(): Readonly<OutboxSinkStats> {
    return { ...this.stats };
  }

  /** Resolves when nothing is queued in memory or in the outbox, or a send failed (tests). */
  async idle(): Promise<void> {
    this.flush();
    for (let d = this.draining; d; d = this.draining) await d;
  }

  /** Moves the queued points to the outbox and starts sending. */
  flush(): void {
    this.persistPending();
    this.kick();
  }

  private persistPending(): void {
    if (this.pending.size === 0) return;
    const lines = [...this.pending.values()];
    const { outbox, clock, log, alerts, options } = this.deps;
    try {
      const dropped = outbox.append(lines, clock.now(), options.maxOutboxLines);
      this.pending = new Map();
      if (dropped > 0) {
        this.stats.dropped += dropped;
        log.error({ dropped, bound: options.maxOutboxLines }, 'influx outbox full: oldest points dropped');
        alerts.raise({
          ...FULL,
          severity: 'critical',
          message: `The InfluxDB outbox reached its bound of ${options.maxOutboxLines} points; ${this.stats.dropped} of the oldest were dropped since the start`,
        });
      } else if (outbox.size() < options.maxOutboxLines) {
        alerts.clear(FULL);
      }
    } catch (error) {
      // Kept in memory for the next flush; the store's own alert says why it cannot be written.
      log.error({ err: String(error), lines: lines.length }, 'influx points not stored in the outbox');
    }
  }

  private kick(): void {
    if (this.stopped || this.draining || this.retryTimer) return;
    if (this.deps.outbox.size() === 0) return;
    this.draining = this.drain()
      .catch((error: unknown) => {
        this.deps.log.error({ err: String(error) }, 'influx outbox drain failed');
        this.backOff();
      })
      .finally(() => {
        this.draining = undefined;
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const batch = this.deps.outbox.head(this.deps.options.batchLines);
      if (batch.length === 0) return;
      if (!(await this.deliver(batch))) {
        this.backOff();
        return;
      }
    }
  }

  /** Sends entries in order; false when the server did not take them (they stay queued). */
  private async deliver(entries: readonly OutboxEntry[]): Promise<boolean> {
    const outcome = await this.deps.writer.send(entries.map((e) => e.line));
    if (outcome.kind === 'written') {
      this.deps.outbox.remove(entries.map((e) => e.id));
      this.stats.written += entries.length;
      this.recovered();
      return true;
    }
    if (outcome.kind === 'retry') {
      this.failed(outcome.reason);
      return false;
    }
    if (entries.length > 1) {
      // Halve until the refused lines stand alone; the others are taken on the way, in order.
      const mid = Math.ceil(entries.length / 2);
      return (await this.deliver(entries.slice(0, mid))) && this.deliver(entries.slice(mid));
    }
    this.refuse(entries, outcome);
    this.recovered();
    return true;
  }

  private refuse(entries: readonly OutboxEntry[], refusal: Refusal): void {
    const { outbox, clock, log, alerts, options } = this.deps;
    outbox.deadLetter(entries, refusal, clock.now(), options.maxDeadLetters);
    this.stats.refused += entries.length;
    log.warn(
      { status: refusal.status, reason: refusal.reason, line: entries[0]?.line },
      'influx refused a point',
    );
    alerts.raise({
      ...REFUSED,
      severity: 'warning',
      message: `InfluxDB refused ${this.stats.refused} point(s) for good since the start (last: ${refusal.reason}); they are in the table influx_dead_letter`,
    });
  }

  private failed(reason: string): void {
    this.stats.failedRequests += 1;
    this.failures += 1;
    const now = this.deps.clock.now();
    this.failingSinceMs ??= now;
    const waiting = this.deps.outbox.size();
    if (this.failures === 1)
      this.deps.log.warn({ reason, waiting }, 'influx write failed; points wait in the outbox');
    if (now - this.failingSinceMs >= this.deps.options.alertAfterMs) {
      this.deps.alerts.raise({
        ...UNREACHABLE,
        severity: 'warning',
        message: `InfluxDB has not taken points since ${new Date(this.failingSinceMs).toISOString()} (${reason}); ${waiting} wait in the outbox`,
      });
    }
  }

  private recovered(): void {
    if (this.failures > 0) this.deps.log.info({ failures: this.failures }, 'influx writes succeed again');
    if (this.failingSinceMs !== null) this.deps.alerts.clear(UNREACHABLE);
    this.failures = 0;
    this.failingSinceMs = null;
  }

  private backOff(): void {
    if (this.stopped || this.stopping) return;
    const { firstBackoffMs, maxBackoffMs } = this.deps.options;
    const delay = backoffMs(this.failures, firstBackoffMs, maxBackoffMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, delay);
    this.retryTimer.unref?.();
  }
}
