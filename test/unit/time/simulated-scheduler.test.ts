import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';

const start = Date.parse('2026-06-01T00:00:00Z');

describe('SimulatedScheduler', () => {
  it('runs a simulated week of jobs in time order, each seeing its own due time', async () => {
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    const seen: string[] = [];
    scheduler.schedule('quarter', { everyMinutes: 15 }, () => {
      seen.push(`q@${new Date(clock.now()).toISOString()}`);
    });
    scheduler.schedule('nightly', { dailyAt: '02:00', timezone: 'UTC' }, () => {
      seen.push(`n@${new Date(clock.now()).toISOString()}`);
    });
    await scheduler.advanceTo(start + 7 * 86_400_000);
    expect(seen.filter((s) => s.startsWith('q@'))).toHaveLength(7 * 96);
    expect(seen.filter((s) => s.startsWith('n@'))).toHaveLength(7);
    expect(seen.indexOf('n@2026-06-01T02:00:00.000Z')).toBe(seen.indexOf('q@2026-06-01T02:00:00.000Z') + 1);
    expect(clock.now()).toBe(start + 7 * 86_400_000);
  });

  it('keeps running other jobs when one throws, and stops cleanly', async () => {
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    let ok = 0;
    scheduler.schedule('bad', { everySeconds: 1 }, () => {
      throw new Error('boom');
    });
    scheduler.schedule('good', { everySeconds: 1 }, () => {
      ok++;
    });
    await scheduler.advanceTo(start + 10_000);
    expect(ok).toBe(10);
    await scheduler.stop();
    await scheduler.advanceTo(start + 20_000);
    expect(ok).toBe(10);
  });

  it('cancels a job', async () => {
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    let runs = 0;
    const job = scheduler.schedule('x', { everySeconds: 1 }, () => {
      runs++;
    });
    await scheduler.advanceTo(start + 3_000);
    job.cancel();
    await scheduler.advanceTo(start + 6_000);
    expect(runs).toBe(3);
  });

  it('jumps to a far time without replaying the jobs in between', async () => {
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    const seen: number[] = [];
    scheduler.schedule('quarter', { everyMinutes: 15 }, () => {
      seen.push(clock.now());
    });
    const later = start + 30 * 86_400_000 + 60_000;
    await scheduler.jumpTo(later);
    expect(seen).toEqual([]);
    await scheduler.advanceTo(later + 30 * 60_000);
    expect(seen).toEqual([start + 30 * 86_400_000 + 15 * 60_000, start + 30 * 86_400_000 + 30 * 60_000]);
  });
});
