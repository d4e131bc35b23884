import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import { AcceleratedClock } from '../clock/accelerated-clock.js';
import { AcceleratedDriver } from './accelerated-driver.js';
import type { SimulatedScheduler } from './simulated-scheduler.js';

export interface WarmupPlan {
  /** Simulated instant the replay ends at; from then on time runs at `speed`. */
  readonly untilMs: number;
  /** Simulated instant the spaces go active (the mode switch a real site makes), within the replay. */
  readonly activateAtMs?: number;
  /** Simulated time advanced per step of the replay: the jobs of each step run before the next. */
  readonly stepMs: number;
  /** Demo speed after the replay. */
  readonly speed: number;
}

/**
 * Replays simulated time as fast as the machine allows, one step at a time and yielding to the
 * event loop between steps (so MQTT, ingest and requests keep flowing), then hands over to an
 * accelerated driver at the demo speed from the instant the replay ended. The same jobs run in the
 * same order as at any speed; only the wall-clock time between them shrinks.
 */
export class WarmupDriver implements Component {
  readonly name = 'clock';
  private stopped = false;
  private loop: Promise<void> | undefined;
  private after: AcceleratedDriver | undefined;
  /** Called once, at `activateAtMs`: switches the spaces to their configured modes. */
  onActivate: (() => Promise<void>) | undefined;
  /** Called once when the replay has ended, with its wall-clock duration. */
  onDone: ((realMs: number) => void) | undefined;
  /**
   * Awaited after each job of the replay: returns once the messages it published were delivered,
   * so receivers stamp them with the simulated time they were sent at (see main/replay-sync.ts).
   */
  settle: (() => Promise<void>) | undefined;

  constructor(
    private readonly plan: WarmupPlan,
    private readonly clock: Clock,
    private readonly scheduler: SimulatedScheduler,
    private readonly log: Logger,
    private readonly realNow: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.loop = this.replay().catch((error: unknown) => this.log.error({ err: error }, 'replay failed'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.after?.stop();
  }

  private async replay(): Promise<void> {
    const startedMs = this.realNow();
    let activated = this.plan.activateAtMs === undefined;
    let t = this.clock.now();
    this.scheduler.afterEachJob = this.settle;
    while (!this.stopped && t < this.plan.untilMs) {
      t = Math.min(this.plan.untilMs, t + this.plan.stepMs);
      if (!activated && t >= (this.plan.activateAtMs as number)) {
        await this.scheduler.advanceTo(this.plan.activateAtMs as number);
        activated = true;
        await this.onActivate?.();
      }
      await this.scheduler.advanceTo(t);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // At the demo speed messages arrive within milliseconds of being sent: no barrier needed.
    this.scheduler.afterEachJob = undefined;
    if (this.stopped) return;
    this.onDone?.(this.realNow() - startedMs);
    this.after = new AcceleratedDriver(
      new AcceleratedClock(this.plan.untilMs, this.plan.speed, this.realNow),
      this.scheduler,
      this.log,
    );
    await this.after.start();
  }
}
