import cron, { type ScheduledTask } from 'node-cron';
import { cronExpression } from '../../domain/time/next-run.js';
import type { Logger } from '../../ports/logger.js';
import type { Job, JobTiming, ScheduledJob, Scheduler } from '../../ports/scheduler.js';

/** Runs jobs on wall-clock time with node-cron. A job never overlaps itself. */
export class CronScheduler implements Scheduler {
  private readonly tasks = new Set<ScheduledTask>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log?: Logger) {}

  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob {
    const { expression, timezone } = cronExpression(timing);
    const task = cron.schedule(
      expression,
      () => {
        const run = Promise.resolve()
          .then(job)
          .catch((error: unknown) => this.log?.error({ job: name, err: error }, 'scheduled job failed'));
        this.running.add(run);
        return run.finally(() => this.running.delete(run));
      },
      { name, noOverlap: true, ...(timezone ? { timezone } : {}) },
    );
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
    await Promise.all([...this.tasks].map((task) => task.destroy()));
    this.tasks.clear();
    await Promise.all(this.running);
  }
}
