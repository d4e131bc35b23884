/** Longest run on the main thread before other work (MQTT) gets a turn, ms of compute time. */
export const DEFAULT_SLICE_MS = 20;

/**
 * Lets the event loop in after every `sliceMs` of work in a long loop on the main thread: call
 * `await slice.turn()` between items. Within the slice it returns at once; once the slice is used
 * up it yields one turn of the event loop (timers and I/O such as MQTT are served) and starts the
 * next slice. Compute time, not the service's clock: a simulated clock does not move with the work.
 */
export class Slicer {
  private startMs: number;

  constructor(
    private readonly sliceMs: number = DEFAULT_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startMs = now();
  }

  async turn(): Promise<void> {
    if (this.now() - this.startMs <= this.sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.startMs = this.now();
  }
}
