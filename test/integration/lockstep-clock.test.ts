import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { LockstepDriver } from '../../src/adapters/scheduler/lockstep-driver.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { captureLogger } from '../helpers/logger.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
});

const start = Date.parse('2026-07-01T00:00:00Z');

describe('lockstep clock over MQTT', () => {
  it('runs the jobs due up to each published time, then acknowledges it', async () => {
    const { prefix, clientId } = broker.unique('lockstep');
    const busOptions = {
      url: broker.url,
      protocolVersion: 4 as const,
      persistentSession: false,
      sessionExpirySeconds: 0,
    };
    const serviceBus = new MqttBus(
      { ...busOptions, clientId: `${clientId}-svc` },
      new SystemClock(),
      captureLogger(),
    );
    const bench = new MqttBus(
      { ...busOptions, clientId: `${clientId}-bench` },
      new SystemClock(),
      captureLogger(),
    );
    await serviceBus.start();
    await bench.start();
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    scheduler.schedule('plan', { everyMinutes: 15 }, async () => {
      await serviceBus.publish(`${prefix}/plans`, String(clock.now()), { qos: 1 });
    });
    const driver = new LockstepDriver(`${prefix}/clock`, serviceBus, scheduler, clock, captureLogger());
    await driver.start();

    const plans: number[] = [];
    const acks: number[] = [];
    await bench.subscribe([`${prefix}/plans`], (m: InboundMessage) =>
      plans.push(Number(Buffer.from(m.payload))),
    );
    await bench.subscribe([`${prefix}/clock/ack`], (m: InboundMessage) =>
      acks.push((JSON.parse(Buffer.from(m.payload).toString()) as { t: number }).t),
    );
    const waitForAck = (tMs: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${tMs}`)), 5000);
        const poll = setInterval(() => {
          if (acks.includes(tMs)) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve();
          }
        }, 2);
      });

    // The first step sets the bench's start; then a simulated day in one-hour steps, each acknowledged.
    await bench.publish(`${prefix}/clock`, JSON.stringify({ t: start }), { qos: 1 });
    await waitForAck(start);
    for (let hour = 1; hour <= 24; hour++) {
      const tMs = start + hour * 3_600_000;
      await bench.publish(`${prefix}/clock`, JSON.stringify({ t: tMs }), { qos: 1 });
      await waitForAck(tMs);
      // Everything due up to t was published before the ack (both travel through the same connection).
      await new Promise((r) => setTimeout(r, 0));
      expect(plans.filter((p) => p <= tMs)).toHaveLength(hour * 4);
    }
    await bench.publish(`${prefix}/clock`, 'not json', { qos: 1 });
    await bench.publish(`${prefix}/clock`, JSON.stringify({ t: start }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(driver.stats).toMatchObject({ ticks: 25, rejected: 2, lastTMs: start + 24 * 3_600_000 });
    expect(clock.now()).toBe(start + 24 * 3_600_000);
    await driver.stop();
    await scheduler.stop();
    await serviceBus.stop();
    await bench.stop();
  });
});
