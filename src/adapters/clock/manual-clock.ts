import type { Clock } from '../../ports/clock.js';

/** Time that moves only when told: tests, replays and the lockstep clock of external test benches. */
export class ManualClock implements Clock {
  constructor(private currentMs: number) {}

  now(): number {
    return this.currentMs;
  }

  set(tMs: number): void {
    if (tMs < this.currentMs) throw new Error(`time cannot go back: ${tMs} < ${this.currentMs}`);
    this.currentMs = tMs;
  }

  advance(ms: number): void {
    this.set(this.currentMs + ms);
  }
}
