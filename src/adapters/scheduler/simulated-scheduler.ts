import { nextRunAfter } from '../../domain/time/next-run.js';
import type { Logger } from '../../ports/logger.js';
import type { Job, JobTiming, ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type { ManualClock } from '../clock/manual-clock.js';

interface Entry {
  readonly name: string;
  readonly timing: JobTiming;
  readonly job: Job;
  dueMs: number;
  cancelled: boolean;
  order: number;
}

/**
 * Runs jobs on simulated time. `advanceTo(t)` moves the clock to each due time in turn and runs the
 * jobs due then, in time order, so a simulated week runs the same jobs in the same order as a real one,
 * only faster. Used by tests, the accelerated demo clock and the lockstep clock of test benches.
 */
export class SimulatedScheduler implements Scheduler {
  private readonly entries = new Set<Entry>();
  private chain: Promise<void> = Promise.resolve();
  private counter = 0;
  private stopped = false;
  /** Awaited after every job before the clock moves on (the demo replay's delivery barrier). */
  afterEachJob: (() => Promise<void>) | undefined;

  constructor(
    private readonly clock: ManualClock,
    private readonly log?: Logger,
  ) {}

  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob {
    const entry: Entry = {
      name,
      timing,
      job,
      dueMs: nextRunAfter(timing, this.clock.now()),
      cancelled: false,
      order: this.counter++,
    };
    this.entries.add(entry);
    return {
      name,
      cancel: () => {
        entry.cancelled = true;
        this.entries.delete(entry);
      },
    };
  }

  /** Runs every job due up to and including `tMs`, then leaves the clock at `tMs`. */
  advanceTo(tMs: number): Promise<void> {
    const run = this.chain.then(() => this.runUntil(tMs));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Moves the clock to `tMs` without running what would have been due on the way: jobs resume from
   * there. For the first step of an external bench, whose time may be far from the start-up time.
   */
  jumpTo(tMs: number): Promise<void> {
    const run = this.chain.then(() => {
      if (tMs > this.clock.now()) this.clock.set(tMs);
      for (const entry of this.entries) entry.dueMs = nextRunAfter(entry.timing, this.clock.now());
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The earliest time a job is due, if any. */
  nextDueMs(): number | undefined {
    let earliest: number | undefined;
    for (const entry of this.entries)
      if (earliest === undefined || entry.dueMs < earliest) earliest = entry.dueMs;
    return earliest;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries) entry.cancelled = true;
    this.entries.clear();
    await this.chain;
  }

  private async runUntil(tMs: number): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const next = this.earliestDue(tMs);
      if (!next) break;
      if (next.dueMs > this.clock.now()) this.clock.set(next.dueMs);
      next.dueMs = nextRunAfter(next.timing, next.dueMs);
      try {
        await next.job();
      } catch (error) {
        this.log?.error({ job: next.name, err: error }, 'scheduled job failed');
      }
      if (this.afterEachJob) await this.afterEachJob();
    }
    if (tMs > this.clock.now()) this.clock.set(tMs);
  }

  private earliestDue(tMs: number): Entry | undefined {
    let best: Entry | undefined;
    for (const entry of this.entries) {
      if (entry.cancelled || entry.dueMs > tMs) continue;
      if (!best || entry.dueMs < best.dueMs || (entry.dueMs === best.dueMs && entry.order < best.order))
        best = entry;
    }
    return best;
  }
}
