import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { captureLogger } from './logger.js';

/** A plain MQTT 3.1.1 client for a test: clean session, wall-clock receive times, silent log. */
export function testBus(url: string, clientId: string): MqttBus {
  return new MqttBus(
    { url, clientId, protocolVersion: 4, persistentSession: false, sessionExpirySeconds: 0 },
    new SystemClock(),
    captureLogger(),
  );
}

/** Resolves once `check()` holds, polling every 10 ms; rejects with `what()` after the timeout. */
export function waitFor(check: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`timed out: ${what()}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (check()) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
}

export const payloadText = (m: InboundMessage): string => Buffer.from(m.payload).toString('utf8');
