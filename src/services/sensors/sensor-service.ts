import { decodeSensorPayload, type KindResult } from '../../domain/sensors/decode.js';
import { bookOccupancy, type OccupancyTracker } from '../../domain/sensors/occupancy-time.js';
import type { SensorRejectReason } from '../../domain/sensors/reasons.js';
import {
  buildSensorIndex,
  listSensors,
  type SensorBinding,
  type SensorIndex,
} from '../../domain/sensors/sensor-index.js';
import { isSilentFor, staleAfterMinutes } from '../../domain/sensors/staleness.js';
import type { SensorKind, SensorQuarterDelta, SensorSample } from '../../domain/sensors/types.js';
import type { Component } from '../../ports/component.js';
import type { InboundMessage } from '../../ports/message-bus.js';
import type { ScheduledJob } from '../../ports/scheduler.js';
import { HeldPart } from '../shared/held-part.js';
import { InboxBatch } from '../shared/inbox-batch.js';
import { maxReadingAgeMs } from '../shared/max-reading-age.js';
import { QuietFlush } from '../shared/quiet-flush.js';
import { rejectedTotal } from '../shared/rejected-total.js';
import { RejectionReporter } from '../shared/rejection-reporter.js';
import { TopicSubscription } from '../shared/topic-subscription.js';
import { WriteRetry } from '../shared/write-retry.js';
import { QuarterDeltas } from './quarter-deltas.js';
import type {
  LatestSensorValue,
  OccupancyListener,
  SensorFreshness,
  SensorServiceConfig,
  SensorServiceDeps,
} from './sensor-types.js';

export type {
  LatestSensorValue,
  OccupancyListener,
  SensorFreshness,
  SensorServiceConfig,
  SensorServiceDeps,
} from './sensor-types.js';

import {
  cloneSensorStats,
  emptySensorStats,
  type SensorServiceStats,
  type SensorStats,
} from './sensor-stats.js';

const MAX_PENDING_SAMPLES = 5_000;
/** Counter key for messages on topics that belong to no sensor. */
export const UNKNOWN_SENSOR = '(unknown sensor)';
/** The service's name in the bus's write-ahead inbox. */
export const SENSORS_CONSUMER = 'sensors';

const siteKindKey = (siteId: string, kind: SensorKind): string => `${siteId}\u0000${kind}`;

interface Runtime {
  binding: SensorBinding;
  latest?: SensorSample;
  /** Last message that proves the sensor alive: any decodable message for occupancy, a sample otherwise. */
  lastHeardMs?: number;
  tracker?: OccupancyTracker;
  stats: SensorStats;
}

/**
 * Sensor use case: occupancy, temperature and illuminance messages in; the latest value per sensor,
 * staleness per kind, synchronous occupancy events, and samples with 15-minute aggregates out.
 * Decoding is pure (src/domain/sensors); nothing thrown by one message reaches the bus or other sensors.
 */
export class SensorService implements Component {
  readonly name = 'sensors';
  private index: SensorIndex = new Map();
  private readonly runtimes = new Map<string, Runtime>();
  /**
   * The runtimes of each site and kind (`latest` picks among them, per space): a control tick asks
   * several times per space, and a scan of every sensor would make that grow with the site count.
   */
  private bySiteKind = new Map<string, Runtime[]>();
  private readonly listeners = new Set<OccupancyListener>();
  private readonly unknownTopics = new Map<string, number>();
  private readonly quarters = new QuarterDeltas();
  private pending: SensorSample[] = [];
  /** Taken out of the buffers by a flush and not yet written: kept across failed writes. */
  private readonly heldSamples: HeldPart<SensorSample>;
  private readonly heldQuarters: HeldPart<SensorQuarterDelta>;
  /** The inbox rows behind what is buffered and held, deleted in the transaction that stores them. */
  private readonly inboxRows: InboxBatch;
  private readonly retry: WriteRetry;
  private readonly quietFlush: QuietFlush;
  private readonly reporter: RejectionReporter;
  private jobs: ScheduledJob[] = [];
  private running = false;
  private config: SensorServiceConfig;
  private summaryMark = new Map<string, { accepted: number; rejected: number }>();
  private lastStaleKey = '';
  // Its own handler, so unsubscribing removes exactly it and not another service's on a shared topic.
  private readonly topics: TopicSubscription;

  constructor(private readonly deps: SensorServiceDeps) {
    this.reporter = new RejectionReporter({
      clock: deps.clock,
      log: deps.log,
      rejections: deps.rejections,
      linesPerMinute: deps.logLinesPerMinute ?? 5,
    });
    this.config = deps.config;
    this.heldSamples = new HeldPart((rows) => deps.store.appendSamples(rows));
    this.heldQuarters = new HeldPart((rows) => deps.store.addQuarters(rows));
    this.inboxRows = new InboxBatch(deps, this.reporter.tally);
    this.retry = new WriteRetry({
      clock: deps.clock,
      log: deps.log,
      alerts: deps.alerts,
      subject: 'sensors',
      ...(deps.maxRetryBackoffMs !== undefined ? { maxBackoffMs: deps.maxRetryBackoffMs } : {}),
    });
    this.topics = new TopicSubscription(deps.bus, (m) => this.onMessage(m), { durableAs: SENSORS_CONSUMER });
    this.quietFlush = new QuietFlush(deps, 'sensor-quiet-flush', () => {
      if (this.running) this.flush();
    });
  }

  async start(): Promise<void> {
    this.applyConfig(this.config);
    this.restoreLatest();
    this.running = true;
    this.jobs = [
      this.deps.scheduler.schedule('sensor-flush', { everySeconds: this.deps.flushEverySeconds ?? 2 }, () => {
        this.flush();
      }),
      this.deps.scheduler.schedule('sensor-summary', { everyMinutes: 15 }, () => this.summarize()),
    ];
    await this.topics.set([...this.index.keys()]);
    this.deps.log.info({ sensors: this.runtimes.size, topics: this.topics.count }, 'sensors started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const job of this.jobs) job.cancel();
    this.jobs = [];
    this.quietFlush.cancel();
    try {
      // Released, not unsubscribed: the broker keeps queueing samples for the next start.
      await this.topics.release();
    } catch (error) {
      this.deps.log.warn({ err: errorText(error) }, 'sensor unsubscribe failed; flushing anyway');
    }
    // A last attempt whatever the backoff; what it cannot write is lost with the process, so say how much.
    if (!this.flush({ force: true })) {
      this.deps.log.error(
        { samples: this.heldSamples.count, quarters: this.heldQuarters.count },
        'sensors stopped with writes the store refused',
      );
    }
  }

  /** Hot reload: new sensors start, removed ones stop; the state of sensors kept is kept. */
  async reconfigure(config: SensorServiceConfig): Promise<void> {
    this.flush();
    this.applyConfig(config);
    if (this.running) await this.topics.set([...this.index.keys()]);
  }

  /** Called synchronously on every fresh occupancy message; returns a function that removes the listener. */
  onOccupancy(listener: OccupancyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The newest value of `kind` in a space. Fresh sensors win over stale ones, then the newest sample.
   * For outdoor temperature, a space without its own sensor (or `spaceId` null) gets the site's.
   */
  latest(siteId: string, spaceId: string | null, kind: SensorKind): LatestSensorValue | undefined {
    const nowMs = this.deps.clock.now();
    const candidates = this.bySiteKind.get(siteKindKey(siteId, kind));
    if (!candidates) return undefined;
    const pick = (space: string | null | undefined): LatestSensorValue | undefined => {
      let best: LatestSensorValue | undefined;
      for (const rt of candidates) {
        const b = rt.binding;
        if (!rt.latest) continue;
        if (space !== undefined && b.spaceId !== space) continue;
        const candidate: LatestSensorValue = {
          sensorId: b.sensorId,
          kind,
          value: rt.latest.value,
          tsMs: rt.latest.tsMs,
          receivedAtMs: rt.latest.receivedAtMs,
          stale: this.staleAt(rt, nowMs),
        };
        if (
          !best ||
          (best.stale && !candidate.stale) ||
          (best.stale === candidate.stale && candidate.tsMs > best.tsMs)
        ) {
          best = candidate;
        }
      }
      return best;
    };
    const own = pick(spaceId);
    if (own || kind !== 'outdoor-temperature') return own;
    return pick(null) ?? pick(undefined);
  }

  /** Stale when never heard or silent for longer than its threshold; an unknown id is stale. */
  isStale(sensorId: string, nowMs: number): boolean {
    const rt = this.runtimes.get(sensorId);
    return rt === undefined || this.staleAt(rt, nowMs);
  }

  freshness(): SensorFreshness[] {
    return [...this.runtimes.values()].map((rt) => ({
      id: rt.binding.sensorId,
      siteId: rt.binding.siteId,
      spaceId: rt.binding.spaceId,
      kind: rt.binding.kind,
      ...(rt.lastHeardMs !== undefined ? { lastSeenMs: rt.lastHeardMs } : {}),
      staleAfterMinutes: this.thresholdMinutes(rt.binding),
    }));
  }

  stats(): SensorServiceStats {
    const sensors: Record<string, SensorStats> = {};
    for (const [id, rt] of this.runtimes) sensors[id] = cloneSensorStats(rt.stats);
    return {
      sensors,
      unknownTopics: Object.fromEntries(this.unknownTopics),
      pendingSamples: this.pending.length + this.heldSamples.count,
      ...this.retry.stats(),
    };
  }

  /**
   * Books occupancy time up to now and writes buffered samples and quarter aggregates. What a failed
   * write held is kept and written by a later flush, after a backoff that grows while the store keeps
   * failing (`force` ignores it, for the stop). Returns whether everything held is written.
   */
  flush(options: { readonly force?: boolean } = {}): boolean {
    if (!options.force && !this.retry.due()) return false;
    const nowMs = this.deps.clock.now();
    for (const rt of this.runtimes.values()) this.bookUntil(rt, nowMs);
    this.heldSamples.take(this.pending);
    this.heldQuarters.take(this.quarters.drain());
    this.pending = [];
    this.inboxRows.seal();
    if (this.heldSamples.count + this.heldQuarters.count === 0 && this.inboxRows.idle) {
      this.retry.succeeded();
      return true;
    }
    try {
      // Samples are keyed (a rewrite changes nothing); quarters and rejection counts add up: all of
      // it and the inbox rows go in one transaction and are let go once it has committed.
      this.inboxRows.commit([this.heldSamples, this.heldQuarters]);
      this.retry.succeeded();
      return true;
    } catch (error) {
      this.retry.failed(error, { samples: this.heldSamples.count, quarters: this.heldQuarters.count });
      return false;
    }
  }

  private applyConfig(config: SensorServiceConfig): void {
    this.config = config;
    const bindings = listSensors(config.sites);
    this.index = buildSensorIndex(bindings);
    const live = new Set<string>();
    for (const b of bindings) {
      live.add(b.sensorId);
      const rt = this.runtimes.get(b.sensorId);
      if (rt) rt.binding = b;
      else this.runtimes.set(b.sensorId, { binding: b, stats: emptySensorStats() });
    }
    for (const id of [...this.runtimes.keys()]) if (!live.has(id)) this.runtimes.delete(id);
    this.bySiteKind = new Map();
    for (const rt of this.runtimes.values()) {
      const key = siteKindKey(rt.binding.siteId, rt.binding.kind);
      const list = this.bySiteKind.get(key);
      if (list) list.push(rt);
      else this.bySiteKind.set(key, [rt]);
    }
  }

  private restoreLatest(): void {
    const nowMs = this.deps.clock.now();
    try {
      for (const s of this.deps.store.latestSamples()) {
        const rt = this.runtimes.get(s.sensorId);
        if (!rt || rt.latest) continue;
        rt.latest = s;
        rt.lastHeardMs = s.receivedAtMs;
        if (rt.binding.kind === 'occupancy') {
          // Downtime is not booked: the state while the service was away is unknown.
          rt.tracker = { occupied: s.value > 0, bookedUntilMs: nowMs, lastMessageMs: s.tsMs };
        }
      }
    } catch (error) {
      this.deps.log.warn({ err: errorText(error) }, 'could not restore the latest sensor values');
    }
  }

  private thresholdMinutes(b: SensorBinding): number {
    return staleAfterMinutes(b.kind, b.staleAfterMinutes, this.config.staleAfterMinutes);
  }

  private staleAt(rt: Runtime, nowMs: number): boolean {
    return isSilentFor(rt.lastHeardMs, this.thresholdMinutes(rt.binding), nowMs);
  }

  private maxAgeMs(): number {
    return maxReadingAgeMs(this.deps.maxAgeMs, this.config.rawRetentionDays);
  }

  private onMessage(message: InboundMessage): void {
    // Whatever becomes of the message, its inbox row goes with the next write.
    this.inboxRows.add(message.inboxSeq);
    this.quietFlush.noteMessage();
    try {
      const groups = this.index.get(message.topic);
      if (!groups) {
        this.rejectUnknown(message.topic);
        return;
      }
      for (const group of groups) {
        const decoded = decodeSensorPayload(message.payload, group.format, group.kinds, {
          receivedAtMs: message.receivedAtMs,
          nowMs: this.deps.clock.now(),
          timezone: group.bindings[0]?.timezone ?? 'UTC',
          maxPayloadBytes: this.deps.maxPayloadBytes ?? 65_536,
          futureToleranceMs: this.deps.futureToleranceMs ?? 5 * 60_000,
          maxAgeMs: this.maxAgeMs(),
        });
        for (const binding of group.bindings) {
          const rt = this.runtimes.get(binding.sensorId);
          if (!rt) continue;
          if (!decoded.ok) {
            this.reject(rt, message.topic, decoded.reason, decoded.detail);
            continue;
          }
          if (message.retained && decoded.tsSource === 'received') {
            rt.stats.retainedSkipped += 1;
            continue;
          }
          const result = decoded.kinds[group.kinds.indexOf(binding.kind)];
          if (result) this.apply(rt, result, decoded.tsMs, message);
        }
      }
      if (this.pending.length >= MAX_PENDING_SAMPLES) this.flush();
    } catch (error) {
      this.deps.log.error({ topic: message.topic, err: errorText(error) }, 'sensor message failed');
    }
  }

  private apply(rt: Runtime, result: KindResult, tsMs: number, message: InboundMessage): void {
    const b = rt.binding;
    const fresh = !message.retained;
    if (b.kind === 'occupancy' && fresh) {
      // Motion sensors speak only on change: any message from the device proves it alive.
      rt.lastHeardMs = Math.max(rt.lastHeardMs ?? message.receivedAtMs, message.receivedAtMs);
      if (rt.tracker) rt.tracker = { ...rt.tracker, lastMessageMs: Math.max(rt.tracker.lastMessageMs, tsMs) };
    }
    if (result.ok === false) {
      this.reject(rt, message.topic, result.reason, result.detail);
      return;
    }
    if (result.ok === 'absent') {
      rt.stats.absent += 1;
      return;
    }
    const latest = rt.latest;
    if (latest && tsMs === latest.tsMs) {
      rt.stats.duplicates += 1;
      return;
    }
    const sample: SensorSample = {
      sensorId: b.sensorId,
      tsMs,
      value: result.value,
      receivedAtMs: message.receivedAtMs,
    };
    rt.stats.accepted += 1;
    this.pending.push(sample);
    this.quarters.addValue(b, tsMs, result.value);
    if (latest && tsMs < latest.tsMs) {
      rt.stats.late += 1;
      return;
    }
    rt.latest = sample;
    if (fresh) rt.lastHeardMs = Math.max(rt.lastHeardMs ?? message.receivedAtMs, message.receivedAtMs);
    if (b.kind !== 'occupancy' || b.spaceId === null) return;
    const occupied = result.value > 0;
    this.bookUntil(rt, tsMs);
    rt.tracker = {
      occupied,
      bookedUntilMs: Math.max(tsMs, rt.tracker?.bookedUntilMs ?? tsMs),
      lastMessageMs: tsMs,
    };
    if (fresh) this.emitOccupancy(b.siteId, b.spaceId, occupied, tsMs);
  }

  private bookUntil(rt: Runtime, untilMs: number): void {
    if (!rt.tracker) return;
    const maxCarryMs = this.thresholdMinutes(rt.binding) * 60_000;
    const booked = bookOccupancy(rt.tracker, untilMs, maxCarryMs);
    rt.tracker = booked.tracker;
    if (booked.quarters.length > 0) this.quarters.addTimes(rt.binding, booked.quarters);
  }

  private emitOccupancy(siteId: string, spaceId: string, occupied: boolean, tsMs: number): void {
    for (const listener of this.listeners) {
      try {
        listener(siteId, spaceId, occupied, tsMs);
      } catch (error) {
        // One failing listener must not keep the event from the others.
        this.deps.log.error({ siteId, spaceId, err: errorText(error) }, 'occupancy listener failed');
      }
    }
  }

  private reject(rt: Runtime, topic: string, reason: SensorRejectReason, detail: string): void {
    rt.stats.rejected[reason] = (rt.stats.rejected[reason] ?? 0) + 1;
    this.reporter.reject({ kind: 'sensor', id: rt.binding.sensorId }, topic, reason, detail);
  }

  private rejectUnknown(topic: string): void {
    this.unknownTopics.set(topic, (this.unknownTopics.get(topic) ?? 0) + 1);
    this.reporter.unknownTopic(topic, UNKNOWN_SENSOR, 'no sensor is configured for this topic');
  }

  private summarize(): void {
    const nowMs = this.deps.clock.now();
    let accepted = 0;
    let rejected = 0;
    const stale: string[] = [];
    for (const [id, rt] of this.runtimes) {
      const mark = this.summaryMark.get(id) ?? { accepted: 0, rejected: 0 };
      const r = rejectedTotal(rt.stats);
      accepted += rt.stats.accepted - mark.accepted;
      rejected += r - mark.rejected;
      this.summaryMark.set(id, { accepted: rt.stats.accepted, rejected: r });
      if (this.staleAt(rt, nowMs)) stale.push(id);
    }
    // Quiet at info: a line only when something needs a look (rejections, or the stale set changed).
    const staleKey = stale.join(',');
    const level = rejected > 0 || staleKey !== this.lastStaleKey ? 'info' : 'debug';
    this.lastStaleKey = staleKey;
    this.deps.log[level](
      { accepted, rejected, stale },
      `sensor samples in the last 15 min: ${accepted} accepted, ${rejected} rejected, ${stale.length} stale sensor(s)`,
    );
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
