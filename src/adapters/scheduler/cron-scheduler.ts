import cron, { type ScheduledTask } from 'node-cron';
import { cronExpression } from '../../domain/time/next-run.js';
import type { Logger } from '../../ports/logger.js';
import type { Job, JobTiming, ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import { TimerLoop } from './timer-loop.js';

/**
 * Runs jobs on wall-clock time. `everySeconds` jobs (the periodic flushes) run on chained timers,
 * which never skip a run while the event loop is busy; calendar timings (every N minutes at a
 * second, daily at a local time) run through node-cron. A job never overlaps itself.
 */
export class CronScheduler implements Scheduler {
  private readonly tasks = new Set<ScheduledTask>();
  private readonly loops = new Set<TimerLoop>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log?: Logger) {}

  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob {
    if ('everySeconds' in timing) return this.every(name, timing.everySeconds, job);
    const { expression, timezone } = cronExpression(timing);
    const task = cron.schedule(expression, () => this.run(name, job), {
      name,
      noOverlap: true,
      // node-cron skips a run whose instant came more than a second before the event loop was free
      // (its default tolerance): an hourly prune or a nightly refit then waits a whole period. Late
      // is better than never: a run is skipped only once the next one is due.
      missedExecutionTolerance: Number.MAX_SAFE_INTEGER,
      // Its warnings (a run skipped, an overlap) go to the service's log, not to the console.
      logger: this.cronLogger(name),
      ...(timezone ? { timezone } : {}),
    });
    this.tasks.add(task);
    return {
      name,
      cancel: () => {
        void task.destroy();
        this.tasks.delete(task);
      },
    };
  }

  async stop(): Promise<void> {
    for (const loop of this.loops) loop.cancel();
    this.loops.clear();
    await Promise.all([...this.tasks].map((task) => task.destroy()));
    this.tasks.clear();
    await Promise.all(this.running);
  }

  private every(name: string, seconds: number, job: Job): ScheduledJob {
    const loop = new TimerLoop(seconds * 1000, () => this.run(name, job));
    this.loops.add(loop);
    loop.start();
    return {
      name,
      cancel: () => {
        loop.cancel();
        this.loops.delete(loop);
      },
    };
  }

  private cronLogger(job: string) {
    const log = this.log;
    const say = (level: 'debug' | 'info' | 'warn' | 'error', message: string | Error, err?: Error) =>
      log?.[level]({ job, ...(err ? { err } : {}) }, `scheduler: ${String(message)}`);
    return {
      debug: (message: string | Error, err?: Error) => say('debug', message, err),
      info: (message: string) => say('info', message),
      warn: (message: string) => say('warn', message),
      error: (message: string | Error, err?: Error) => say('error', message, err),
    };
  }

  /** One run of a job: its failure is logged, never thrown; stop() waits for it. */
  private run(name: string, job: Job): Promise<void> {
    const run = Promise.resolve()
      .then(job)
      .catch((error: unknown) => this.log?.error({ job: name, err: error }, 'scheduled job failed'));
    this.running.add(run);
    return run.finally(() => this.running.delete(run));
  }
}
