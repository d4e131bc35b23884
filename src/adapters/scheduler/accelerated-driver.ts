import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { SimulatedScheduler } from './simulated-scheduler.js';

/**
 * Drives a simulated scheduler from a faster-than-real clock: every tick of real time it advances
 * simulated time to where the accelerated clock says it is, running the jobs due on the way.
 */
export class AcceleratedDriver implements Component {
  readonly name = 'clock';
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly target: Clock,
    private readonly scheduler: SimulatedScheduler,
    private readonly log: Logger,
    private readonly tickMs = 50,
  ) {}

  async start(): Promise<void> {
    await this.scheduler.advanceTo(this.target.now());
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    // A slow job must not pile up advances behind it; the next tick catches up.
    if (this.busy) return;
    this.busy = true;
    this.scheduler
      .advanceTo(this.target.now())
      .catch((error: unknown) => this.log.error({ err: error }, 'clock advance failed'))
      .finally(() => {
        this.busy = false;
      });
  }
}
