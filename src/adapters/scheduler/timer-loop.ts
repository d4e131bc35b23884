/**
 * Runs a job every `periodMs` on timers: each run is armed only after the previous one finished, so
 * runs never overlap, and a run that comes late (a busy event loop, a long previous run) still comes,
 * at once, instead of being skipped as a calendar scheduler skips a missed instant.
 */
export class TimerLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cancelled = false;

  constructor(
    private readonly periodMs: number,
    /** Must not reject: the scheduler logs a job's failure inside it. */
    private readonly run: () => Promise<void>,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (!Number.isFinite(periodMs) || periodMs <= 0) {
      throw new Error(`a timer loop needs a positive period, got ${periodMs} ms`);
    }
  }

  start(): void {
    this.arm(this.periodMs);
  }

  /** No run starts after this; one already running finishes. */
  cancel(): void {
    this.cancelled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    if (this.cancelled) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    const startedMs = this.now();
    await this.run();
    // Keep the cadence from the run's start; a run longer than the period is followed at once.
    this.arm(Math.max(0, this.periodMs - (this.now() - startedMs)));
  }
}
