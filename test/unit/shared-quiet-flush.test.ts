import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { QuietFlush } from '../../src/services/shared/quiet-flush.js';

const T0 = Date.UTC(2026, 0, 10);

function setup(flushEverySeconds: number, whenQuiet = true) {
  const clock = new ManualClock(T0);
  const scheduler = new SimulatedScheduler(clock);
  const flushedAtMs: number[] = [];
  const quiet = new QuietFlush(
    { clock, scheduler, flushEverySeconds, flushWhenQuiet: whenQuiet },
    'test',
    () => {
      flushedAtMs.push(clock.now() - T0);
    },
  );
  /** One message every `everyMs` from `fromMs` to `toMs` (inclusive), then the clock runs to `untilMs`. */
  const stream = async (fromMs: number, toMs: number, everyMs: number, untilMs: number) => {
    for (let t = fromMs; t <= toMs; t += everyMs) {
      await scheduler.advanceTo(T0 + t);
      quiet.noteMessage();
    }
    await scheduler.advanceTo(T0 + untilMs);
  };
  return { quiet, scheduler, flushedAtMs, stream };
}

describe('QuietFlush', () => {
  it('flushes once, within half a second of the last message of a burst', async () => {
    const { flushedAtMs, scheduler, stream } = setup(10);
    await stream(100, 5_100, 200, 20_000);
    expect(flushedAtMs).toHaveLength(1);
    const afterLastMs = (flushedAtMs[0] ?? 0) - 5_100;
    expect(afterLastMs).toBeGreaterThanOrEqual(250);
    expect(afterLastMs).toBeLessThanOrEqual(500);
    // Disarmed after its flush: an idle service runs no check.
    expect(scheduler.nextDueMs()).toBeUndefined();
  });

  it('never flushes while messages keep coming less than a quarter second apart', async () => {
    const { flushedAtMs, stream } = setup(10);
    await stream(0, 30_000, 240, 30_000);
    expect(flushedAtMs).toEqual([]);
  });

  it('re-arms for the next burst after a pause', async () => {
    const { flushedAtMs, stream } = setup(30);
    await stream(0, 2_000, 200, 10_000);
    await stream(10_500, 12_000, 200, 20_000);
    expect(flushedAtMs).toHaveLength(2);
    expect(flushedAtMs[1]).toBeGreaterThan(12_000);
  });

  it('leaves a short interval, or simulated time, to the periodic flush alone', async () => {
    for (const [seconds, whenQuiet] of [
      [2, true],
      [10, false],
    ] as const) {
      const { flushedAtMs, scheduler, stream } = setup(seconds, whenQuiet);
      await stream(0, 1_000, 100, 10_000);
      expect(flushedAtMs).toEqual([]);
      expect(scheduler.nextDueMs()).toBeUndefined();
    }
  });

  it('runs no check once cancelled', async () => {
    const { quiet, flushedAtMs, scheduler, stream } = setup(10);
    await stream(0, 500, 100, 600);
    quiet.cancel();
    await scheduler.advanceTo(T0 + 10_000);
    expect(flushedAtMs).toEqual([]);
  });
});
