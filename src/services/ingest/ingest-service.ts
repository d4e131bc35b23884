import type { SiteConfig } from '../../config/schema/site.js';
import { decodePayload } from '../../domain/ingest/decode.js';
import { IntervalDeltas } from '../../domain/ingest/interval-rows.js';
import {
  buildMeterIndex,
  DEFAULT_WINDOW_SIZE,
  type MeterBinding,
  type MeterIndex,
} from '../../domain/ingest/meter-index.js';
import { stepWindow } from '../../domain/ingest/meter-step.js';
import { ReadingWindow } from '../../domain/ingest/reading-window.js';
import type { RejectReason } from '../../domain/ingest/reasons.js';
import { parseSeriesState } from '../../domain/ingest/series.js';
import { decodeWindow, encodeWindow, windowFromSeries } from '../../domain/ingest/window-codec.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { MeterActivity, MeterActivityView } from '../../ports/control-inputs.js';
import type { Logger } from '../../ports/logger.js';
import type { InboundMessage, MessageBus } from '../../ports/message-bus.js';
import type { AlertSink } from '../../ports/operations.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type {
  CounterStore,
  IntervalStore,
  MeterStateStore,
  ReadingStore,
  StoredMeterState,
  StoredReading,
} from '../../ports/stores.js';
import type { InboxBatchDeps } from '../shared/inbox-batch.js';
import { maxReadingAgeMs } from '../shared/max-reading-age.js';
import { QuietFlush } from '../shared/quiet-flush.js';
import { RejectionReporter } from '../shared/rejection-reporter.js';
import { TopicSubscription } from '../shared/topic-subscription.js';
import { WriteRetry } from '../shared/write-retry.js';
import { FlushPace } from './flush-pace.js';
import { HeldWrites } from './held-writes.js';
import { cloneMeterStats, emptyMeterStats, type IngestStats, type MeterStats } from './ingest-stats.js';

/** Counter key for messages that belong to no meter. */
export const UNKNOWN_METER = '(unknown)';
/** The service's name in the bus's write-ahead inbox. */
export const INGEST_CONSUMER = 'ingest';

export interface IngestConfig {
  readonly sites: readonly SiteConfig[];
  /** Readings older than this are refused as stale (the retention job prunes stored ones). */
  readonly rawRetentionDays?: number;
}

/**
 * With `inbox` and `atomically`, meter messages are kept in the bus's write-ahead inbox until the
 * flush that stores their effect deletes them in the same transaction.
 */
export interface IngestDeps extends InboxBatchDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly scheduler: Scheduler;
  readonly readings: ReadingStore;
  readonly intervals: IntervalStore;
  readonly meterState: MeterStateStore;
  /** When given, rejections are also counted persistently per meter and reason. */
  readonly rejections?: CounterStore;
  readonly config: IngestConfig;
  readonly maxPayloadBytes: number;
  /** Buffered writes are flushed this often, and on stop. Default 2 s. */
  readonly flushEverySeconds?: number;
  /** Also flush once the stream pauses for a second, when the interval is above 2 s (QuietFlush). */
  readonly flushWhenQuiet?: boolean;
  /** Readings held per meter for placing late ones. Default 96. */
  readonly windowSize?: number;
  /** Extra topic filters (e.g. `tele/+/SENSOR`) whose unconfigured topics are reported as unknown. */
  readonly watchTopicFilters?: readonly string[];
  /** Default 5 minutes. */
  readonly futureToleranceMs?: number;
  /** Default 7 days, and never more than the raw retention. */
  readonly maxAgeMs?: number;
  /** Rejection log lines per meter and reason per minute. Default 5. */
  readonly logLinesPerMinute?: number;
  /** When given, a failing store raises a `store-unwritable` alert (subject `ingest`) until writes resume. */
  readonly alerts?: AlertSink;
  /** The longest wait between write attempts while the store fails. Default 60 s. */
  readonly maxRetryBackoffMs?: number;
  /**
   * A paged flush starts at once when this many readings are held. Default 60,000 (about 10 MB); a
   * longer flush interval at a high message rate wants more, or the count starts the flushes first.
   */
  readonly maxPendingReadings?: number;
  /**
   * Under load, timed flushes are spaced so that writing takes about this share of the time, and the
   * pending limit rises to MOST_PENDING_READINGS (see FlushPace). Off when absent: under simulated
   * time a write's duration says nothing.
   */
  readonly loadedWriteShare?: number;
}

/**
 * A paged flush starts at once when this many readings are buffered (unless the deps say otherwise),
 * so memory stays bounded under a flood (about 10 MB). Each flush rewrites the state of every meter
 * that changed, about 2.4 KB each, however many readings it had: under a backlog, the fewer flushes
 * the fewer of those writes per reading.
 */
const DEFAULT_MAX_PENDING_READINGS = 60_000;
/** At most this many held readings start a flush, whatever the interval (about 35 MB). */
const MOST_PENDING_READINGS = 200_000;

/**
 * The pending limit for a flush interval: an interval's worth at 20,000 readings a second (the rate
 * bench:ingest measures), between the default and MOST_PENDING_READINGS. Below that, the count would
 * start the flushes before the timer does and a longer interval would change nothing.
 */
export function pendingLimitFor(flushEverySeconds: number): number {
  return Math.min(MOST_PENDING_READINGS, Math.max(DEFAULT_MAX_PENDING_READINGS, 20_000 * flushEverySeconds));
}
/**
 * A flush is written in pages of about this many readings (whole meters), each its own transaction,
 * with a turn of the event loop between two: a large flush then holds MQTT, HTTP and the timers for
 * tens of milliseconds at a time instead of seconds.
 */
const PAGE_READINGS = 2_500;
/**
 * QoS 1 messages come a burst of at most 500 per turn of the event loop, fewer than a page writes;
 * QoS 0 messages come without any flow control, as fast as the socket reads (tens of thousands a
 * turn), and can outrun the pages. Where the bus cannot hold them back (flushBehind), past this many
 * times the pending limit everything is written at once, holding the event loop, so memory stays
 * bounded.
 */
const BUFFERED_PER_PENDING = 2;
/**
 * The share of the time a loaded service spends writing flushes (FlushPace): with 20,000 meters
 * behind a backlog, about two readings per meter per write at a 2 s interval became ten.
 */
export const LOADED_WRITE_SHARE = 0.2;
/** Under load, a timed flush waits at most this long after the last one ended. */
const MOST_FLUSH_WAIT_MS = 30_000;

/**
 * Ingest use case: meter messages in, raw readings and interval energy out. Decoding, differencing
 * and apportioning are pure (src/domain/ingest); this class holds the per-meter state, batches the
 * writes and counts what happened. Nothing thrown by one message reaches the bus or other meters.
 */
export class IngestService implements Component, MeterActivity {
  readonly name = 'ingest';
  private index: MeterIndex = new Map();
  /** Each meter's recent readings, compact; loaded with the meter's first reading after a start. */
  private readonly states = new Map<string, ReadingWindow>();
  private readonly dirty = new Set<string>();
  private readonly meterStats = new Map<string, MeterStats>();
  private readonly spaceLast = new Map<string, number | null>();
  private readonly unknownTopics = new Map<string, number>();
  private pendingReadings: StoredReading[] = [];
  private readonly deltas = new IntervalDeltas();
  /** Taken out of the buffers by a flush and not yet written: kept across failed writes. */
  private readonly held: HeldWrites;
  private readonly retry: WriteRetry;
  private readonly reporter: RejectionReporter;
  private flushJob: ScheduledJob | undefined;
  private readonly quietFlush: QuietFlush;
  /** The paged flush being written, if one is. */
  private round: Promise<void> | undefined;
  private running = false;
  private config: IngestConfig;
  // One handler each, so unsubscribing removes exactly these and not another service's on a shared topic.
  private readonly meterTopics: TopicSubscription;
  private readonly watchTopics: TopicSubscription;
  private readonly maxPendingReadings: number;
  private readonly pace: FlushPace | undefined;
  private lastFlushWriteMs = 0;

  constructor(private readonly deps: IngestDeps) {
    this.maxPendingReadings = deps.maxPendingReadings ?? DEFAULT_MAX_PENDING_READINGS;
    this.pace =
      deps.loadedWriteShare === undefined
        ? undefined
        : new FlushPace({
            intervalMs: (deps.flushEverySeconds ?? 2) * 1_000,
            writeShare: deps.loadedWriteShare,
            mostWaitMs: MOST_FLUSH_WAIT_MS,
            pendingLimit: this.maxPendingReadings,
            loadedPendingLimit: MOST_PENDING_READINGS,
          });
    this.reporter = new RejectionReporter({
      clock: deps.clock,
      log: deps.log,
      rejections: deps.rejections,
      linesPerMinute: deps.logLinesPerMinute ?? 5,
    });
    this.config = deps.config;
    this.held = new HeldWrites(deps, this.reporter.tally);
    this.retry = new WriteRetry({
      clock: deps.clock,
      log: deps.log,
      alerts: deps.alerts,
      subject: 'ingest',
      ...(deps.maxRetryBackoffMs !== undefined ? { maxBackoffMs: deps.maxRetryBackoffMs } : {}),
    });
    this.meterTopics = new TopicSubscription(deps.bus, (m) => this.onMeterMessage(m), {
      durableAs: INGEST_CONSUMER,
    });
    this.watchTopics = new TopicSubscription(deps.bus, (m) => this.onWatchMessage(m));
    this.quietFlush = new QuietFlush(deps, 'ingest-quiet-flush', () =>
      this.running ? this.flushWhatCameSince() : undefined,
    );
  }

  async start(): Promise<void> {
    this.applyConfig(this.config);
    this.running = true;
    this.flushJob = this.deps.scheduler.schedule(
      'ingest-flush',
      { everySeconds: this.deps.flushEverySeconds ?? 2 },
      // Returns the paged flush, so the next tick is armed once it is written.
      () => (this.pace?.due(this.deps.clock.now()) === false ? undefined : this.flushInPages()),
    );
    await this.meterTopics.set([...this.index.keys()]);
    await this.watchTopics.set(this.deps.watchTopicFilters ?? []);
    this.deps.log.info({ meters: this.meterStats.size, topics: this.meterTopics.count }, 'ingest started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.flushJob?.cancel();
    this.flushJob = undefined;
    this.quietFlush.cancel();
    await this.round;
    try {
      // Released, not unsubscribed: the broker keeps queueing readings for the next start.
      await this.meterTopics.release();
      await this.watchTopics.release();
    } catch (error) {
      this.deps.log.warn({ err: errorText(error) }, 'ingest unsubscribe failed; flushing anyway');
    }
    // A last attempt whatever the backoff. What it cannot write stays in the inbox for the next start
    // (without an inbox it is lost with the process), so say how much.
    if (!this.flush({ force: true })) {
      this.deps.log.error(
        {
          readings: this.held.readingCount,
          intervalRows: this.held.intervalRowCount,
          inboxRows: this.held.inboxRowCount,
        },
        'ingest stopped with writes the store refused',
      );
    }
  }

  /** Hot reload: new meters start, removed ones stop; state of meters kept is kept. */
  async reconfigure(config: IngestConfig): Promise<void> {
    await this.round;
    this.flush();
    this.applyConfig(config);
    if (!this.running) return;
    const { added, removed } = await this.meterTopics.set([...this.index.keys()]);
    this.deps.log.info({ added, removed }, 'ingest reconfigured');
  }

  stats(): IngestStats {
    const meters: Record<string, MeterStats> = {};
    for (const [id, s] of this.meterStats) meters[id] = cloneMeterStats(s);
    const spaces: Record<string, { lastReadingTsMs: number | null }> = {};
    for (const [key, ts] of this.spaceLast) spaces[key] = { lastReadingTsMs: ts };
    return { meters, spaces, unknownTopics: Object.fromEntries(this.unknownTopics), ...this.writerStats() };
  }

  /** Each meter's statistics, live: for a reader that sums them at once (the metrics scrape). */
  liveMeterStats(): ReadonlyMap<string, Readonly<MeterStats>> {
    return this.meterStats;
  }

  /** The writer's figures of stats(), without copying every meter's. */
  writerStats(): Omit<IngestStats, 'meters' | 'spaces' | 'unknownTopics'> {
    return {
      pendingReadings: this.pendingReadings.length + this.held.readingCount,
      pendingIntervalRows: this.deltas.size + this.held.intervalRowCount,
      lastFlushWriteMs: this.lastFlushWriteMs,
      flushPaced: this.pace?.loaded ?? false,
      ...this.retry.stats(),
    };
  }

  /** One meter's activity, without copying every meter's statistics as stats() does. */
  meter(meterId: string): MeterActivityView | undefined {
    const s = this.meterStats.get(meterId);
    return s ? { lastReadingTsMs: s.lastReadingTsMs, accepted: s.accepted } : undefined;
  }

  /**
   * Writes buffered readings, interval deltas and changed meter state. What a failed write held is
   * kept and written by a later flush, after a backoff that grows while the store keeps failing
   * (`force` ignores it, for the stop). Returns whether everything held is written.
   */
  flush(options: { readonly force?: boolean } = {}): boolean {
    if (!options.force && !this.retry.due()) return false;
    this.takePending();
    try {
      this.held.write();
      this.retry.succeeded();
      return true;
    } catch (error) {
      this.writeFailed(error);
      return false;
    }
  }

  /**
   * As flush, in pages with a turn of the event loop between two (see PAGE_READINGS); what comes in
   * meanwhile waits for the next flush. One paged flush at a time.
   */
  private flushInPages(): Promise<void> | undefined {
    if (this.round || !this.retry.due()) return this.round;
    this.takePending();
    this.round = this.writePages().finally(() => {
      this.round = undefined;
      if (this.running && this.pagedFlushDue(this.pendingLimit())) void this.flushInPages();
    });
    return this.round;
  }

  /**
   * The quiet flush: a paged flush under way took only what was pending when it started, and the
   * stream's last readings came after; they are written once it ends, not at the next interval.
   */
  private async flushWhatCameSince(): Promise<void> {
    await this.round;
    if (this.running) await this.flushInPages();
  }

  private async writePages(): Promise<void> {
    const clock = this.deps.clock;
    let writeMs = 0;
    try {
      for (;;) {
        const startMs = clock.now();
        const done = this.held.writePage(PAGE_READINGS);
        writeMs += clock.now() - startMs;
        if (done) break;
        await new Promise<void>((r) => setImmediate(r));
      }
      this.retry.succeeded();
    } catch (error) {
      this.writeFailed(error);
    }
    this.lastFlushWriteMs = writeMs;
    this.pace?.wrote(writeMs, clock.now());
  }

  /**
   * A paged flush is due. While one is still being written, a bus with flow control is asked to hold
   * further messages until it ends (the broker queues them), so what is buffered stays under the
   * limit; without flow control, past BUFFERED_PER_PENDING times the limit everything is written at
   * once, holding the event loop.
   */
  private flushBehind(limit: number): void {
    const round = this.round;
    if (round && this.deps.bus.holdInbound) this.deps.bus.holdInbound(round);
    else if (round && this.pendingReadings.length >= BUFFERED_PER_PENDING * limit) this.flush();
    else void this.flushInPages();
  }

  /** Readings held that start a paged flush at once: larger under load (FlushPace). */
  private pendingLimit(): number {
    return this.pace?.pendingLimit() ?? this.maxPendingReadings;
  }

  /**
   * Whether a paged flush starts at once: `limit` readings are held, or as many meters changed as the
   * normal limit's readings could have changed, as a flush encodes each changed window at once (about
   * 2.4 KB each), under load too.
   */
  private pagedFlushDue(limit: number): boolean {
    return this.pendingReadings.length >= limit || this.dirty.size >= this.maxPendingReadings;
  }

  /** Moves the buffers to what is held; only meters whose window changed since the last flush are written. */
  private takePending(): void {
    const changed = new Map<string, StoredMeterState>();
    for (const meterId of this.dirty) {
      const window = this.states.get(meterId);
      if (window) changed.set(meterId, encodeWindow(window));
    }
    this.dirty.clear();
    this.held.take(this.pendingReadings, this.deltas.drain(), changed);
    this.pendingReadings = [];
  }

  private writeFailed(error: unknown): void {
    this.retry.failed(error, {
      readings: this.held.readingCount,
      intervalRows: this.held.intervalRowCount,
      meterStates: this.held.stateCount,
    });
  }

  private applyConfig(config: IngestConfig): void {
    this.config = config;
    this.index = buildMeterIndex(config.sites, this.deps.windowSize ?? DEFAULT_WINDOW_SIZE);
    for (const bindings of this.index.values()) {
      for (const b of bindings) {
        if (!this.meterStats.has(b.ref.meterId)) this.meterStats.set(b.ref.meterId, emptyMeterStats());
        if (!this.spaceLast.has(b.spaceKey)) this.spaceLast.set(b.spaceKey, null);
      }
    }
    // Windows of meters no longer configured (none at start-up, when no window is loaded yet).
    if (this.states.size === 0) return;
    const live = new Set<string>();
    for (const bindings of this.index.values()) for (const b of bindings) live.add(b.ref.meterId);
    for (const id of [...this.states.keys()]) if (!live.has(id)) this.states.delete(id);
  }

  private maxAgeMs(): number {
    return maxReadingAgeMs(this.deps.maxAgeMs, this.config.rawRetentionDays);
  }

  private onMeterMessage(message: InboundMessage): void {
    // Whatever becomes of the message, its inbox row goes with the next write.
    this.held.handled(message.inboxSeq);
    this.quietFlush.noteMessage();
    try {
      const bindings = this.index.get(message.topic);
      if (!bindings) {
        this.rejectUnknown(message.topic);
        return;
      }
      for (const binding of bindings) this.processFor(binding, message);
      const limit = this.pendingLimit();
      if (this.pagedFlushDue(limit)) this.flushBehind(limit);
    } catch (error) {
      this.deps.log.error({ topic: message.topic, err: errorText(error) }, 'ingest failed on a message');
    }
  }

  private onWatchMessage(message: InboundMessage): void {
    // Configured topics arrive through the meter subscription; only the rest is reported here.
    if (this.index.has(message.topic)) return;
    try {
      this.rejectUnknown(message.topic);
    } catch (error) {
      this.deps.log.error({ topic: message.topic, err: errorText(error) }, 'ingest failed on a message');
    }
  }

  private processFor(binding: MeterBinding, message: InboundMessage): void {
    const meterId = binding.ref.meterId;
    const stats = this.statsFor(meterId);
    const decoded = decodePayload(message.payload, binding.meter, {
      receivedAtMs: message.receivedAtMs,
      nowMs: this.deps.clock.now(),
      timezone: binding.timezone,
      maxPayloadBytes: this.deps.maxPayloadBytes,
      futureToleranceMs: this.deps.futureToleranceMs ?? 5 * 60_000,
      maxAgeMs: this.maxAgeMs(),
    });
    if (!decoded.ok) {
      this.rejectMeter(binding, message.topic, decoded.reason, decoded.detail);
      return;
    }
    const reading = decoded.reading;
    if (message.retained && reading.tsSource === 'received') {
      // A retained message is from some earlier time; without a timestamp it cannot be placed.
      stats.retainedSkipped += 1;
      return;
    }
    const step = stepWindow(this.windowFor(meterId, binding.rules.windowSize), reading, binding.rules);
    switch (step.kind) {
      case 'duplicate':
        stats.duplicates += 1;
        return;
      case 'rejected':
        this.rejectMeter(binding, message.topic, step.rejection.reason, step.rejection.detail);
        return;
      case 'no-value':
        stats.withoutValue += 1;
        break;
      case 'accepted':
        this.dirty.add(meterId);
        this.deltas.addSpans(binding.ref, step.removed, step.added);
        if (step.late) stats.late += 1;
        stats.resets += step.resets;
        stats.rollovers += step.rollovers;
        stats.unapportionedKWh += step.unapportionedKWh;
        if (step.resets > 0) {
          this.deps.log.info({ meterId, topic: message.topic, tsMs: reading.tsMs }, 'meter register reset');
        }
        break;
    }
    stats.accepted += 1;
    // By assignment, not conditional spreads: this runs for every reading (see rawReading).
    const stored: { -readonly [K in keyof StoredReading]: StoredReading[K] } = {
      meterId,
      tsMs: reading.tsMs,
      receivedAtMs: message.receivedAtMs,
    };
    if (reading.energyKWh !== undefined) stored.energyKWh = reading.energyKWh;
    if (reading.powerW !== undefined) stored.powerW = reading.powerW;
    this.pendingReadings.push(stored);
    if (stats.lastReadingTsMs === null || reading.tsMs > stats.lastReadingTsMs)
      stats.lastReadingTsMs = reading.tsMs;
    const last = this.spaceLast.get(binding.spaceKey) ?? null;
    if (last === null || reading.tsMs > last) this.spaceLast.set(binding.spaceKey, reading.tsMs);
  }

  private statsFor(meterId: string): MeterStats {
    let s = this.meterStats.get(meterId);
    if (!s) {
      s = emptyMeterStats();
      this.meterStats.set(meterId, s);
    }
    return s;
  }

  private windowFor(meterId: string, windowSize: number): ReadingWindow {
    const held = this.states.get(meterId);
    if (held) return held;
    const stored = this.deps.meterState.loadMeterState(meterId);
    let window = stored === undefined ? undefined : storedWindow(stored, windowSize);
    if (stored !== undefined && !window)
      this.deps.log.warn({ meterId }, 'stored meter state unreadable; starting the register afresh');
    // One spare place: an insertion into a full window briefly holds one reading more.
    window ??= new ReadingWindow(windowSize + 1);
    this.states.set(meterId, window);
    return window;
  }

  private rejectMeter(binding: MeterBinding, topic: string, reason: RejectReason, detail: string): void {
    const meterId = binding.ref.meterId;
    const stats = this.statsFor(meterId);
    stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1;
    this.reporter.reject({ kind: 'meter', id: meterId }, topic, reason, detail);
  }

  private rejectUnknown(topic: string): void {
    this.unknownTopics.set(topic, (this.unknownTopics.get(topic) ?? 0) + 1);
    this.reporter.unknownTopic(topic, UNKNOWN_METER, 'no meter is configured for this topic');
  }
}

/** A stored state as a window: the binary record, or the JSON that releases before it wrote. */
function storedWindow(stored: StoredMeterState, windowSize: number): ReadingWindow | undefined {
  if (typeof stored !== 'string') return decodeWindow(stored, windowSize);
  const series = parseSeriesState(stored);
  return series ? windowFromSeries(series, windowSize) : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
