import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { EmbeddedBroker } from '../../src/adapters/mqtt/embedded-broker.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
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

function bus(clientId: string, extra: Partial<ConstructorParameters<typeof MqttBus>[0]> = {}) {
  return new MqttBus(
    {
      url: broker.url,
      clientId,
      protocolVersion: 4,
      persistentSession: true,
      sessionExpirySeconds: 60,
      ...extra,
    },
    new SystemClock(),
    captureLogger(),
  );
}

function nextMessage(messages: InboundMessage[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out with ${messages.length}/${count} messages`)),
      5000,
    );
    const poll = setInterval(() => {
      if (messages.length >= count) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
}

describe('MqttBus over a real broker', () => {
  /**
   * A service bus with availability on `<prefix>/status` (started), and a watcher recording what that
   * topic says; `end` stops the service, checks it said offline, and clears the retained status.
   */
  async function watchedService(name: string, untilAnnounced: boolean) {
    const { prefix, clientId } = broker.unique(name);
    const service = bus(`${clientId}-svc`, {
      availability: { topic: `${prefix}/status`, online: 'online', offline: 'offline', untilAnnounced },
    });
    const watcher = bus(`${clientId}-watch`);
    await watcher.start();
    const statuses: InboundMessage[] = [];
    await watcher.subscribe([`${prefix}/status`], (m) => statuses.push(m));
    await service.start();
    const said = (i: number) => Buffer.from(statuses.at(i)?.payload ?? []).toString();
    const end = async () => {
      const before = statuses.length;
      await service.stop();
      await nextMessage(statuses, before + 1);
      expect(said(-1)).toBe('offline');
      await watcher.publish(`${prefix}/status`, '', { retain: true });
      await watcher.stop();
    };
    return { prefix, service, watcher, statuses, said, end };
  }

  it('delivers matching messages to each handler and publishes availability', async () => {
    const { prefix, service, watcher, statuses, said, end } = await watchedService('bus', false);
    const received: InboundMessage[] = [];
    await service.subscribe([`${prefix}/meters/+`], (m) => received.push(m));
    await service.subscribe([`${prefix}/other/#`], () => {
      throw new Error('a failing handler must not disturb others');
    });
    await watcher.publish(`${prefix}/other/x`, 'x');
    await watcher.publish(`${prefix}/meters/m1`, '{"energyKWh": 1}');
    await nextMessage(received, 1);
    expect(received[0]?.topic).toBe(`${prefix}/meters/m1`);
    expect(Buffer.from(received[0]?.payload ?? []).toString()).toBe('{"energyKWh": 1}');
    await nextMessage(statuses, 1);
    expect(said(0)).toBe('online');
    await end();
  });

  it('holds online until announced, when availability waits for the services to subscribe', async () => {
    const { prefix, service, watcher, statuses, said, end } = await watchedService('announce', true);
    const received: InboundMessage[] = [];
    await service.subscribe([`${prefix}/meters/+`], (m) => received.push(m));
    // A round trip through the broker after the connect: an online published then would be here by now.
    await watcher.publish(`${prefix}/meters/m1`, '{"energyKWh": 1}', { qos: 1 });
    await nextMessage(received, 1);
    expect(statuses).toEqual([]);
    service.announceOnline();
    await nextMessage(statuses, 1);
    expect(said(0)).toBe('online');
    await end();
  });

  it('keeps QoS 1 messages for a persistent session while the subscriber is away', async () => {
    const { prefix, clientId } = broker.unique('session');
    const first = bus(clientId);
    await first.start();
    await first.subscribe([`${prefix}/m`], () => undefined);
    await first.stop();
    const publisher = bus(`${clientId}-pub`);
    await publisher.start();
    await publisher.publish(`${prefix}/m`, 'while-away', { qos: 1 });
    await publisher.stop();
    const again = bus(clientId);
    const received: InboundMessage[] = [];
    // The queued message arrives on connect, before the handler is registered: it must not be lost.
    await again.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await again.subscribe([`${prefix}/m`], (m) => received.push(m));
    await nextMessage(received, 1);
    expect(Buffer.from(received[0]?.payload ?? []).toString()).toBe('while-away');
    await again.stop();
  });
});

describe('EmbeddedBroker', () => {
  it('explains a taken port instead of throwing a stack trace', async () => {
    const first = new EmbeddedBroker(0);
    await first.start();
    const port = Number(new URL(first.url).port);
    const second = new EmbeddedBroker(port);
    await expect(second.start()).rejects.toThrow(/already in use.*mqtt\.embeddedPort/);
    await first.stop();
  });
});

describe('MqttBus shared topics', () => {
  it('keeps delivering to one handler when another unsubscribes from the same topic', async () => {
    const { prefix, clientId } = broker.unique('shared');
    const service = bus(`${clientId}-svc`);
    await service.start();
    const first: InboundMessage[] = [];
    const second: InboundMessage[] = [];
    const firstHandler = (m: InboundMessage) => first.push(m);
    await service.subscribe([`${prefix}/multi`], firstHandler);
    await service.subscribe([`${prefix}/multi`], (m) => second.push(m));
    await service.unsubscribe([`${prefix}/multi`], firstHandler);
    await service.publish(`${prefix}/multi`, 'x', { qos: 1 });
    await nextMessage(second, 1);
    expect(first).toHaveLength(0);
    await service.stop();
  });
});
