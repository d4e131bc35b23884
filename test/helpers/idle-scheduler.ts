import type { Job, JobTiming, ScheduledJob, Scheduler } from '../../src/ports/scheduler.js';

/** A scheduler that never runs its jobs: the test drives flushing itself (or through stop()). */
export class IdleScheduler implements Scheduler {
  schedule(name: string, _timing: JobTiming, _job: Job): ScheduledJob {
    return { name, cancel: () => undefined };
  }
  async stop(): Promise<void> {}
}
