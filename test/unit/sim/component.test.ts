import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import type { MessageBus, PublishOptions } from '../../../src/ports/message-bus.js';
import { CommunitySimulator } from '../../../src/sim/community-simulator.js';
import { captureLogger } from '../../helpers/logger.js';
import { JULY_TUESDAY_MS, simConfig } from './fixture.js';

interface Sent {
  readonly topic: string;
  readonly payload: string;
  readonly options: PublishOptions | undefined;
}

/** A MessageBus that records what is published. */
function recordingBus(sent: Sent[]): MessageBus {
  return {
    publish: async (topic, payload, options) => {
      sent.push({
        topic,
        payload: typeof payload === 'string' ? payload : Buffer.from(payload).toString(),
        options,
      });
    },
    subscribe: async () => undefined,
    unsubscribe: async () => undefined,
  };
}

function setup(simulator: Record<string, unknown> = {}) {
  const sent: Sent[] = [];
  const clock = new ManualClock(JULY_TUESDAY_MS + 9 * 3_600_000);
  const scheduler = new SimulatedScheduler(clock);
  const log = captureLogger();
  const sim = new CommunitySimulator({
    config: simConfig('u', { burnInHours: 1, ...simulator }),
    clock,
    scheduler,
    bus: recordingBus(sent),
    log,
  });
  return { sent, clock, scheduler, log, sim };
}

describe('CommunitySimulator component', () => {
  it('publishes on the scheduler ticks at the configured QoS, never retained', async () => {
    const { sent, clock, scheduler, sim } = setup({ qos: 1 });
    await sim.start();
    await scheduler.advanceTo(clock.now() + 10 * 60_000);
    await sim.stop();
    expect(sent.filter((s) => s.topic === 'u/lobby/total')).toHaveLength(10);
    expect(sent.every((s) => s.options?.qos === 1 && s.options.retain === false)).toBe(true);
    expect(sim.stats().published).toBe(sent.length);
    // Stopped: time moves on, nothing more is published.
    const before = sent.length;
    await scheduler.advanceTo(clock.now() + 10 * 60_000);
    expect(sent.length).toBe(before);
    await scheduler.stop();
  });

  it('skips a backlog longer than maxCatchUpHours and says so', async () => {
    const { sent, clock, scheduler, log, sim } = setup({ maxCatchUpHours: 1 });
    await sim.start();
    clock.set(clock.now() + 5 * 3_600_000);
    await sim.tick();
    await sim.stop();
    await scheduler.stop();
    const lobby = sent
      .filter((s) => s.topic === 'u/lobby/total')
      .map((s) => Date.parse(JSON.parse(s.payload).ts));
    expect(lobby).toHaveLength(60);
    expect(Math.min(...lobby)).toBeGreaterThan(clock.now() - 3_600_000);
    expect(log.lines.some((l) => l.level === 'warn' && /fell behind/.test(l.msg ?? ''))).toBe(true);
  });

  it('keeps counting when the bus fails, without throwing', async () => {
    const { clock, scheduler, log } = setup();
    const failing: MessageBus = {
      publish: async () => {
        throw new Error('broker away');
      },
      subscribe: async () => undefined,
      unsubscribe: async () => undefined,
    };
    const sim = new CommunitySimulator({
      config: simConfig('u', { burnInHours: 0 }),
      clock,
      scheduler,
      bus: failing,
      log,
    });
    await sim.start();
    await scheduler.advanceTo(clock.now() + 3 * 60_000);
    await sim.stop();
    await scheduler.stop();
    expect(sim.stats().published).toBe(0);
    expect(sim.stats().publishFailures).toBeGreaterThan(10);
    expect(log.lines.filter((l) => l.level === 'warn').length).toBeLessThanOrEqual(5);
  });
});
