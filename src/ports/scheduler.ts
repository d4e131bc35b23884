import type { JobTiming } from '../domain/time/job-timing.js';

/** The timing type belongs to the domain (next-run maths reads it); schedulers follow it. */
export type { JobTiming };

export type Job = () => Promise<void> | void;

export interface ScheduledJob {
  readonly name: string;
  cancel(): void;
}

/** Runs recurring jobs on the injected clock's time. */
export interface Scheduler {
  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob;
  /** Stop every job; jobs already running are awaited. */
  stop(): Promise<void>;
}
