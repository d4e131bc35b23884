import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { WarmupDriver } from '../../../src/adapters/scheduler/warmup-driver.js';
import { captureLogger } from '../../helpers/logger.js';

const H = 3_600_000;
const START = Date.UTC(2026, 6, 1);

describe('WarmupDriver', () => {
  it('replays every job up to the end, switches modes at the set instant, then hands over to the demo speed', async () => {
    const clock = new ManualClock(START);
    const scheduler = new SimulatedScheduler(clock);
    const ran: number[] = [];
    scheduler.schedule('quarter', { everyMinutes: 15 }, () => {
      ran.push(clock.now());
    });
    let real = 1_000;
    const driver = new WarmupDriver(
      { untilMs: START + 2 * H, activateAtMs: START + H, stepMs: 15 * 60_000, speed: 60 },
      clock,
      scheduler,
      captureLogger(),
      () => real,
    );
    const events: string[] = [];
    driver.onActivate = async () => {
      events.push(`activate at ${(clock.now() - START) / H} h after ${ran.length} runs`);
    };
    const done = new Promise<number>((resolve) => {
      driver.onDone = resolve;
    });
    await driver.start();
    await done;
    expect(events).toEqual(['activate at 1 h after 4 runs']);
    expect(ran.map((t) => (t - START) / 60_000)).toEqual([15, 30, 45, 60, 75, 90, 105, 120]);
    // After the replay, one real second is sixty simulated seconds.
    real += 15_000;
    await new Promise((r) => setTimeout(r, 120));
    expect(clock.now()).toBe(START + 2 * H + 15 * 60_000);
    expect(ran).toHaveLength(9);
    await driver.stop();
    await scheduler.stop();
  });

  it('settles after every job of the replay, before the clock moves on, and not at the demo speed', async () => {
    const clock = new ManualClock(START);
    const scheduler = new SimulatedScheduler(clock);
    const events: string[] = [];
    scheduler.schedule('tick', { everyMinutes: 15 }, () => {
      events.push(`job ${(clock.now() - START) / 60_000}`);
    });
    let real = 1_000;
    const driver = new WarmupDriver(
      { untilMs: START + H / 2, stepMs: 60 * 60_000, speed: 60 },
      clock,
      scheduler,
      captureLogger(),
      () => real,
    );
    // Messages published by a job must be delivered at the job's time, not after the next one.
    driver.settle = async () => {
      await new Promise((r) => setTimeout(r, 5));
      events.push(`settled ${(clock.now() - START) / 60_000}`);
    };
    const done = new Promise<number>((resolve) => {
      driver.onDone = resolve;
    });
    await driver.start();
    await done;
    expect(events).toEqual(['job 15', 'settled 15', 'job 30', 'settled 30']);
    real += 15_000;
    await new Promise((r) => setTimeout(r, 120));
    expect(events.slice(4)).toEqual(['job 45']);
    await driver.stop();
    await scheduler.stop();
  });
});
