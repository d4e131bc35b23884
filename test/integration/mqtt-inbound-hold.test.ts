import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mosquitto, mosquittoMissing } from '../helpers/mosquitto.js';
import { payloadText, testBus, waitFor } from '../helpers/mqtt.js';

const MESSAGES = 50;

describe.skipIf(mosquittoMissing())('holding inbound messages back (flow control)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await Mosquitto.start({ maxQueuedMessages: 10_000 });
  });
  afterAll(async () => {
    await broker.stop();
  });

  for (const qos of [0, 1] as const) {
    it(`takes no QoS ${qos} message while held, then every one in order`, async () => {
      const bus = testBus(broker.url, `hold-subscriber-${qos}`);
      await bus.start();
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const received: string[] = [];
      await bus.subscribe([`hold${qos}/#`], (m) => {
        received.push(payloadText(m));
        if (received.length === 1) bus.holdInbound(held);
      });
      const publisher = await mqtt.connectAsync(broker.url, { clientId: `hold-publisher-${qos}` });
      await Promise.all(
        Array.from({ length: MESSAGES }, (_, i) =>
          publisher.publishAsync(`hold${qos}/m`, String(i), { qos }),
        ),
      );
      await new Promise((r) => setTimeout(r, 500));
      const whileHeld = received.length;
      release();
      await waitFor(
        () => received.length >= MESSAGES,
        () => `${received.length} of ${MESSAGES} received`,
      );
      await publisher.endAsync();
      await bus.stop();
      expect(whileHeld).toBe(1);
      expect(received.join(',')).toBe(Array.from({ length: MESSAGES }, (_, i) => String(i)).join(','));
    }, 30_000);
  }

  it('takes at most 1,000 messages of a QoS 0 flood in one turn of the event loop', async () => {
    const bus = testBus(broker.url, 'turn-subscriber');
    await bus.start();
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const perTurn = new Map<number, number>();
    let received = 0;
    await bus.subscribe(['turn/#'], () => {
      // The first message holds the loop while the rest land in the socket, read then at once.
      if (received++ === 0) {
        const until = performance.now() + 300;
        while (performance.now() < until) {
          // a busy handler
        }
      }
      perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    });
    const flood = 5_000;
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'turn-publisher' });
    await Promise.all(
      Array.from({ length: flood }, (_, i) => publisher.publishAsync('turn/m', String(i), { qos: 0 })),
    );
    await waitFor(
      () => received >= flood,
      () => `${received} of ${flood} received`,
    );
    ticking = false;
    await publisher.endAsync();
    await bus.stop();
    expect(received).toBe(flood);
    // Without the cap, the messages behind the busy first one all come in one or two turns.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(1_000);
    expect(perTurn.size).toBeGreaterThanOrEqual(5);
  }, 30_000);
});
