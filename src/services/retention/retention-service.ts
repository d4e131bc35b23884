import { type PruneCutoffs, pruneCutoffs, type RetentionPolicy } from '../../domain/retention/policy.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { RetentionStore } from '../../ports/retention.js';
import type { JobTiming, ScheduledJob, Scheduler } from '../../ports/scheduler.js';

/** Rows per delete: about 2 ms a batch (median) on the 2-core development machine. */
export const PRUNE_BATCH_ROWS = 200;
/** Hourly, at a second no other hourly job uses. */
const PRUNE_TIMING: JobTiming = { everyMinutes: 60, atSecond: 35 };

export type PrunedLog = 'readings' | 'sensorSamples' | 'audit' | 'alerts' | 'commands' | 'models';

/** What one pass removed, and the longest time a single batch held the event loop. */
export interface PruneReport {
  readonly removed: Readonly<Record<PrunedLog, number>>;
  readonly batches: number;
  readonly longestBatchMs: number;
  /** False when the service stopped before the pass was through. */
  readonly complete: boolean;
}

export interface RetentionDeps {
  readonly store: RetentionStore;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** The policy in force (read at each pass, so a reload applies to the next one). */
  readonly policy: () => RetentionPolicy;
  /** Lets other work run between two batches (a macrotask turn of the event loop). */
  readonly yieldToLoop: () => Promise<void>;
  /** Monotonic wall time, ms, to measure how long a batch held the loop. */
  readonly elapsedMs: () => number;
  readonly batchRows?: number;
}

/** One kind of record, pruned batch by batch: each call deletes at most a batch; false when done. */
type Step = () => boolean;

/**
 * Prunes raw readings, sensor samples, the setpoint audit, cleared alerts, the command log and old
 * model versions by the retention policy, once an hour, a small batch at a time with a turn of the
 * event loop between batches, so ingest and the API never wait long behind it.
 */
export class RetentionService implements Component {
  readonly name = 'retention';
  private job: ScheduledJob | undefined;
  private running: Promise<PruneReport> | undefined;
  private stopping = false;

  constructor(private readonly deps: RetentionDeps) {}

  async start(): Promise<void> {
    this.stopping = false;
    this.job = this.deps.scheduler.schedule('retention', PRUNE_TIMING, async () => {
      await this.pruneNow();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.job?.cancel();
    this.job = undefined;
    await this.running;
  }

  /** Runs one pass now (a pass already running is joined rather than doubled). */
  pruneNow(): Promise<PruneReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<PruneReport> {
    const cutoffs = pruneCutoffs(this.deps.policy(), this.deps.clock.now());
    const removed: Record<PrunedLog, number> = {
      readings: 0,
      sensorSamples: 0,
      audit: 0,
      alerts: 0,
      commands: 0,
      models: 0,
    };
    let batches = 0;
    let longestBatchMs = 0;
    for (const step of this.steps(cutoffs, removed)) {
      for (let more = true; more; ) {
        if (this.stopping) return this.report(removed, batches, longestBatchMs, false);
        const t0 = this.deps.elapsedMs();
        more = step();
        longestBatchMs = Math.max(longestBatchMs, this.deps.elapsedMs() - t0);
        batches++;
        await this.deps.yieldToLoop();
      }
    }
    return this.report(removed, batches, longestBatchMs, true);
  }

  private report(
    removed: Record<PrunedLog, number>,
    batches: number,
    longestBatchMs: number,
    complete: boolean,
  ): PruneReport {
    const report = { removed, batches, longestBatchMs, complete };
    const total = Object.values(removed).reduce((a, b) => a + b, 0);
    if (total > 0) {
      this.deps.log.info(
        { removed, batches, longestBatchMs: Math.round(longestBatchMs * 10) / 10, complete },
        `retention: pruned ${total} rows`,
      );
    }
    return report;
  }

  private steps(c: PruneCutoffs, removed: Record<PrunedLog, number>): Step[] {
    const { store } = this.deps;
    const max = this.deps.batchRows ?? PRUNE_BATCH_ROWS;
    const counted =
      (log: PrunedLog, prune: () => number): Step =>
      () => {
        const n = prune();
        removed[log] += n;
        return n === max;
      };
    // A pruning that pages by a key rather than by time carries its cursor from batch to batch.
    const paged = <C>(
      log: PrunedLog,
      start: C,
      prune: (after: C) => { readonly removed: number; readonly nextCursor?: C },
    ): Step => {
      let cursor = start;
      return () => {
        const page = prune(cursor);
        removed[log] += page.removed;
        if (page.nextCursor === undefined) return false;
        cursor = page.nextCursor;
        return true;
      };
    };
    return [
      paged('readings', '', (after) => store.pruneReadings(c.readingsBeforeMs, max, after)),
      counted('sensorSamples', () => store.pruneSensorSamples(c.sensorSamplesBeforeMs, max)),
      counted('audit', () => store.pruneAudit(c.auditBeforeMs, c.auditDeviceTailMs, max)),
      counted('alerts', () => store.pruneClearedAlerts(c.alertsClearedBeforeMs, max)),
      counted('commands', () => store.pruneCommands(c.commandsBeforeMs, max)),
      paged('models', 0, (after) => store.pruneModelVersions(c.modelVersionsKept, max, after)),
    ];
  }
}
