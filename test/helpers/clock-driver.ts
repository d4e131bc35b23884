import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { captureLogger } from './logger.js';

/** A bench's side of the lockstep clock: publishes time steps on `topic` and waits for each ack. */
export async function startClockDriver(url: string, clientId: string, topic: string) {
  const bus = new MqttBus(
    { url, clientId, protocolVersion: 4, persistentSession: false, sessionExpirySeconds: 0 },
    new SystemClock(),
    captureLogger(),
  );
  await bus.start();
  const acks = new Set<number>();
  await bus.subscribe([`${topic}/ack`], (m: InboundMessage) => {
    acks.add((JSON.parse(Buffer.from(m.payload).toString()) as { t: number }).t);
  });
  return {
    /** Moves the service's clock to `tMs`; resolves once the service has acknowledged that step. */
    async step(tMs: number, timeoutMs = 10_000): Promise<void> {
      await bus.publish(topic, JSON.stringify({ t: tMs }), { qos: 1 });
      const deadline = Date.now() + timeoutMs;
      while (!acks.has(tMs)) {
        if (Date.now() > deadline) throw new Error(`no acknowledgement for ${new Date(tMs).toISOString()}`);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    stop: () => bus.stop(),
  };
}
