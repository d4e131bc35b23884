import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { CommunitySimulator } from '../../src/sim/community-simulator.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { captureLogger } from '../helpers/logger.js';
import { payloadText, testBus, waitFor } from '../helpers/mqtt.js';
import { JULY_TUESDAY_MS, simConfig } from '../unit/sim/fixture.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
});

const bus = (clientId: string) => testBus(broker.url, clientId);
const text = payloadText;

describe('community simulator over a real broker', () => {
  it('publishes every meter and sensor in its own format on the simulated clock', async () => {
    const { prefix, clientId } = broker.unique('sim');
    const watcher = bus(`${clientId}-watch`);
    const simBus = bus(`${clientId}-sim`);
    await watcher.start();
    await simBus.start();
    const received: InboundMessage[] = [];
    await watcher.subscribe([`${prefix}/#`], (m) => received.push(m));

    const start = JULY_TUESDAY_MS + 8 * 3_600_000; // 08:00 local
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    const log = captureLogger();
    const sim = new CommunitySimulator({
      config: simConfig(prefix, { burnInHours: 2, qos: 1, controllers: false }),
      clock,
      scheduler,
      bus: simBus,
      log,
    });
    await sim.start();
    await scheduler.advanceTo(start + 30 * 60_000);
    const published = sim.stats().published;
    await waitFor(
      () => received.length >= published,
      () => `${received.length}/${published} messages`,
    );
    await sim.stop();
    await scheduler.stop();
    await simBus.stop();
    await watcher.stop();

    expect(sim.stats().publishFailures).toBe(0);
    expect(sim.stats().simulatedUntilMs).toBe(start + 30 * 60_000);
    expect(received.every((m) => !m.retained)).toBe(true);
    const on = (suffix: string) => received.filter((m) => m.topic === `${prefix}/${suffix}`);

    const tasmota = on('tele/lobby/SENSOR').map((m) => JSON.parse(text(m)));
    expect(tasmota).toHaveLength(30);
    expect(tasmota[0].Time).toMatch(/^2026-07-14T08:\d\d:00$/);
    for (let i = 1; i < tasmota.length; i++) {
      expect(tasmota[i].ENERGY.Total).toBeGreaterThanOrEqual(tasmota[i - 1].ENERGY.Total);
    }
    expect(tasmota[0].ENERGY.Power).toBe(Math.round(900 * (0.1 + 0.9 * 0.4)));

    const shelly = on('shelly/status/switch:0').map((m) => JSON.parse(text(m)));
    expect(shelly).toHaveLength(30);
    expect(shelly[0].apower).toBeCloseTo(1600, 6);
    expect(shelly.at(-1).aenergy.total - shelly[0].aenergy.total).toBeCloseTo((1600 * 29) / 60, 0);

    const z2mMeter = on('z2m/gym-hvac-meter').map((m) => JSON.parse(text(m)));
    expect(z2mMeter).toHaveLength(30);
    expect(z2mMeter[0]).toEqual(
      expect.objectContaining({ energy: expect.any(Number), power: expect.any(Number) }),
    );

    const total = on('lobby/total').map((m) => JSON.parse(text(m)));
    expect(total).toHaveLength(30);
    expect(Date.parse(total[0].ts)).toBeGreaterThan(start);
    expect(total[0].energyKWh).toBeGreaterThan(100);

    // A power meter in mW (multiplier 0.001): the raw number is W / 0.001.
    const plug = on('gym/plug').map((m) => Number(text(m)));
    expect(plug).toHaveLength(30);
    expect(plug[0]).toBeGreaterThan(200 * 1.5 * 1000 * 0.99);

    const motion = on('z2m/lobby-motion').map((m) => JSON.parse(text(m)));
    expect(motion.length).toBeGreaterThanOrEqual(30);
    expect(typeof motion[0].occupancy).toBe('boolean');
    expect(typeof motion[0].illuminance).toBe('number');

    const outdoor = on('weather/outdoor').map((m) => JSON.parse(text(m)));
    expect(outdoor).toHaveLength(30);
    expect(outdoor[0].value).toBeGreaterThan(15);
    expect(Number(text(on('gym/temperature')[0] as InboundMessage))).toBeGreaterThan(15);
    expect(log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('publishes the same readings whatever the tick pattern of the clock', async () => {
    const collect = async (label: string, hops: number[]) => {
      const { prefix, clientId } = broker.unique(label);
      const watcher = bus(`${clientId}-watch`);
      const simBus = bus(`${clientId}-sim`);
      await watcher.start();
      await simBus.start();
      const received: string[] = [];
      await watcher.subscribe([`${prefix}/#`], (m) =>
        received.push(`${m.topic.slice(prefix.length)} ${text(m)}`),
      );
      const start = JULY_TUESDAY_MS + 17 * 3_600_000;
      const clock = new ManualClock(start);
      const scheduler = new SimulatedScheduler(clock);
      const sim = new CommunitySimulator({
        config: simConfig(prefix, { burnInHours: 1, controllers: false }),
        clock,
        scheduler,
        bus: simBus,
        log: captureLogger(),
      });
      await sim.start();
      for (const hop of hops) await scheduler.advanceTo(clock.now() + hop);
      const published = sim.stats().published;
      await waitFor(
        () => received.length >= published,
        () => `${received.length}/${published}`,
      );
      await sim.stop();
      await scheduler.stop();
      await simBus.stop();
      await watcher.stop();
      return received;
    };
    const oneJump = await collect('sim-jump', [20 * 60_000]);
    const smallHops = await collect(
      'sim-hops',
      Array.from({ length: 40 }, () => 30_000),
    );
    expect(oneJump.length).toBeGreaterThan(100);
    expect(smallHops).toEqual(oneJump);
  });
});
