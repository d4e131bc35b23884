import type { Clock } from '../../ports/clock.js';

/**
 * Simulated time that runs `speed` times faster than the wall clock, starting at `startMs`.
 * Used by the demo so that days of data appear in minutes.
 */
export class AcceleratedClock implements Clock {
  private readonly realStartMs: number;

  constructor(
    private readonly startMs: number,
    readonly speed: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStartMs = realNow();
  }

  now(): number {
    return Math.floor(this.startMs + (this.realNow() - this.realStartMs) * this.speed);
  }
}
