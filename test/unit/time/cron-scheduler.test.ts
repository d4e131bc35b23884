import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CronScheduler } from '../../../src/adapters/scheduler/cron-scheduler.js';
import { captureLogger } from '../../helpers/logger.js';

/** A job whose runs the test finishes by hand, to hold one open as long as it likes. */
function heldJob() {
  const starts: number[] = [];
  const finishers: (() => void)[] = [];
  let open = 0;
  let maxOpen = 0;
  const job = () => {
    starts.push(Date.now());
    open++;
    maxOpen = Math.max(maxOpen, open);
    return new Promise<void>((resolve) =>
      finishers.push(() => {
        open--;
        resolve();
      }),
    );
  };
  return { job, starts, finishNext: () => finishers.shift()?.(), maxOpen: () => maxOpen };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-07-15T04:00:00.500Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CronScheduler, everySeconds jobs on timers', () => {
  it('runs once per period', async () => {
    const scheduler = new CronScheduler();
    let runs = 0;
    scheduler.schedule('flush', { everySeconds: 2 }, () => {
      runs++;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runs).toBe(11);
    await scheduler.stop();
  });

  it('never overlaps a run, and follows a long one at once instead of skipping', async () => {
    const scheduler = new CronScheduler();
    const held = heldJob();
    scheduler.schedule('flush', { everySeconds: 2 }, held.job);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(held.starts).toHaveLength(1);
    // The run takes 7 s (3.5 periods): nothing else starts meanwhile.
    await vi.advanceTimersByTimeAsync(7_000);
    expect(held.starts).toHaveLength(1);
    held.finishNext();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.starts).toHaveLength(2);
    expect((held.starts[1] ?? 0) - (held.starts[0] ?? 0)).toBe(7_000);
    held.finishNext();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(held.starts).toHaveLength(3);
    expect(held.maxOpen()).toBe(1);
    held.finishNext();
    await scheduler.stop();
  });

  it('still runs when the event loop was blocked past the due time', async () => {
    const scheduler = new CronScheduler();
    let runs = 0;
    scheduler.schedule('flush', { everySeconds: 2 }, () => {
      runs++;
    });
    // Busy for 5 s: the clock moves on while no timer could fire.
    vi.setSystemTime(Date.now() + 5_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(2);
    await scheduler.stop();
  });

  it('logs a failing run once and keeps the job going', async () => {
    const log = captureLogger();
    const scheduler = new CronScheduler(log);
    let runs = 0;
    scheduler.schedule('flush', { everySeconds: 1 }, () => {
      runs++;
      if (runs === 1) throw new Error('disk full');
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(3);
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.obj).toMatchObject({ job: 'flush' });
    await scheduler.stop();
  });

  it('stops running after cancel, and stop() waits for a run in progress', async () => {
    const scheduler = new CronScheduler();
    let runs = 0;
    const job = scheduler.schedule('tick', { everySeconds: 1 }, () => {
      runs++;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    job.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(1);

    const held = heldJob();
    scheduler.schedule('flush', { everySeconds: 1 }, held.job);
    await vi.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    held.finishNext();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(held.starts).toHaveLength(1);
  });

  it('refuses a period that is not positive', () => {
    const scheduler = new CronScheduler();
    expect(() => scheduler.schedule('bad', { everySeconds: 0 }, () => undefined)).toThrow(/positive/);
  });
});

describe('CronScheduler, calendar jobs through node-cron', () => {
  it('runs a quarter-hour job late when the event loop was blocked past its instant, not never', async () => {
    const log = captureLogger();
    const scheduler = new CronScheduler(log);
    const runs: number[] = [];
    scheduler.schedule('prune', { everyMinutes: 15, atSecond: 0 }, () => {
      runs.push(Date.now());
    });
    // 04:00:00.500 now; the next instant is 04:15:00. Busy for 20 s across it: the clock reaches
    // 04:15:20 before any timer can fire (moving the system time moves the pending timers with it).
    const due = Date.parse('2026-07-15T04:15:00Z');
    await vi.advanceTimersByTimeAsync(due - 100 - Date.now());
    expect(runs).toHaveLength(0);
    vi.setSystemTime(due + 20_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
    expect((runs[0] ?? 0) - due).toBeGreaterThanOrEqual(20_000);
    // The next instant runs on time, and nothing went to the console or to the log as missed.
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(runs).toHaveLength(2);
    expect(log.lines.filter((l) => /missed/.test(l.msg ?? ''))).toEqual([]);
    await scheduler.stop();
  });

  it('skips a run only once the next is due, and says so in the log', async () => {
    const log = captureLogger();
    const scheduler = new CronScheduler(log);
    let runs = 0;
    scheduler.schedule('refit', { everyMinutes: 1, atSecond: 0 }, () => {
      runs++;
    });
    // Blocked from just before 04:01 to 04:02:30: 04:01 is missed (04:02 came), 04:02 runs late.
    await vi.advanceTimersByTimeAsync(Date.parse('2026-07-15T04:01:00Z') - 100 - Date.now());
    expect(runs).toBe(0);
    vi.setSystemTime(Date.parse('2026-07-15T04:02:30Z'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    const missed = log.lines.filter((l) => /missed/.test(l.msg ?? ''));
    expect(missed.length).toBeGreaterThanOrEqual(1);
    expect(missed[0]).toMatchObject({ level: 'warn', obj: { job: 'refit' } });
    await scheduler.stop();
  });
});
