import type { Clock } from '../../ports/clock.js';
import type { Job, ScheduledJob, Scheduler } from '../../ports/scheduler.js';

/**
 * The stream counts as paused after this long without a message, checked as often: a flush then
 * starts at most twice this long after the last message. A pause this short in a steady stream
 * costs one early, smaller flush; the end of a stream is committed sooner.
 */
export const QUIET_AFTER_MS = 250;
/** Flush intervals up to this long keep their own timing: a pause saves at most this much wait. */
export const QUIET_FLUSH_ABOVE_SECONDS = 2;

/** What a service's deps say of its flushes; the services' deps carry these fields as they are. */
export interface QuietFlushSettings {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** The periodic flush's interval. Default 2 s. */
  readonly flushEverySeconds?: number;
  /** Off unless set, and under simulated time, whose flushes already follow the simulated minute. */
  readonly flushWhenQuiet?: boolean;
}

/**
 * Flushes when the stream pauses, without waiting for the periodic flush. A longer interval batches
 * more readings per write under a steady stream; once the stream pauses (meters that report in one
 * sweep, the end of a backlog) there is nothing left to batch with, so waiting only delays what a
 * dashboard or a restart sees. While messages keep coming this changes nothing: the interval rules.
 * Armed by a message, checked every QUIET_AFTER_MS, and disarmed once it has flushed, so an idle service runs
 * no extra job.
 */
export class QuietFlush {
  private readonly enabled: boolean;
  private lastMessageMs = 0;
  private check: ScheduledJob | undefined;

  constructor(
    private readonly settings: QuietFlushSettings,
    /** The scheduled check's name, for the scheduler's log. */
    private readonly name: string,
    private readonly flush: Job,
  ) {
    this.enabled =
      settings.flushWhenQuiet === true && (settings.flushEverySeconds ?? 2) > QUIET_FLUSH_ABOVE_SECONDS;
  }

  /** A message arrived: the next pause of QUIET_AFTER_MS flushes. */
  noteMessage(): void {
    if (!this.enabled) return;
    this.lastMessageMs = this.settings.clock.now();
    this.check ??= this.settings.scheduler.schedule(this.name, { everySeconds: QUIET_AFTER_MS / 1000 }, () =>
      this.flushIfQuiet(),
    );
  }

  cancel(): void {
    this.check?.cancel();
    this.check = undefined;
  }

  private flushIfQuiet(): Promise<void> | void {
    if (this.settings.clock.now() - this.lastMessageMs < QUIET_AFTER_MS) return;
    this.cancel();
    return this.flush();
  }
}
