import type { Clock } from '../../ports/clock.js';
import type { Job, ScheduledJob, Scheduler } from '../../ports/scheduler.js';

/** The stream counts as paused after this long without a message. */
export const QUIET_AFTER_MS = 1_000;
/** Flush intervals up to this long keep their own timing: a pause saves at most this much wait. */
export const QUIET_FLUSH_ABOVE_SECONDS = 2;

export interface QuietFlushDeps {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** The scheduled check's name, for the scheduler's log. */
  readonly name: string;
  readonly flushEverySeconds: number;
  /** Off under simulated time, whose flushes already follow the simulated minute. */
  readonly whenQuiet: boolean;
  readonly flush: Job;
}

/**
 * Flushes when the stream pauses, without waiting for the periodic flush. A longer interval batches
 * more readings per write under a steady stream; once the stream pauses (meters that report in one
 * sweep, the end of a backlog) there is nothing left to batch with, so waiting only delays what a
 * dashboard or a restart sees. While messages keep coming this changes nothing: the interval rules.
 * Armed by a message, checked every second, and disarmed once it has flushed, so an idle service runs
 * no extra job.
 */
export class QuietFlush {
  private readonly enabled: boolean;
  private lastMessageMs = 0;
  private check: ScheduledJob | undefined;

  constructor(private readonly deps: QuietFlushDeps) {
    this.enabled = deps.whenQuiet && deps.flushEverySeconds > QUIET_FLUSH_ABOVE_SECONDS;
  }

  /** A message arrived: the next pause of QUIET_AFTER_MS flushes. */
  noteMessage(): void {
    if (!this.enabled) return;
    this.lastMessageMs = this.deps.clock.now();
    this.check ??= this.deps.scheduler.schedule(this.deps.name, { everySeconds: 1 }, () =>
      this.flushIfQuiet(),
    );
  }

  cancel(): void {
    this.check?.cancel();
    this.check = undefined;
  }

  private flushIfQuiet(): Promise<void> | void {
    if (this.deps.clock.now() - this.lastMessageMs < QUIET_AFTER_MS) return;
    this.cancel();
    return this.deps.flush();
  }
}
