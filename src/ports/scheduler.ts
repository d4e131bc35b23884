/**
 * When a recurring job runs. Kept to shapes that both node-cron (wall-clock time) and the
 * simulated scheduler (simulated or accelerated time) can follow exactly.
 */
export type JobTiming =
  | { readonly everySeconds: number }
  | { readonly everyMinutes: number; readonly atSecond?: number }
  | { readonly dailyAt: string; readonly timezone: string };

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
