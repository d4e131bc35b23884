import { randomUUID } from 'node:crypto';
import { EmbeddedBroker } from '../../src/adapters/mqtt/embedded-broker.js';

export interface TestBroker {
  readonly url: string;
  /** A fresh topic prefix and client id stem, so tests never see each other's retained messages or sessions. */
  unique(label: string): { prefix: string; clientId: string };
  stop(): Promise<void>;
}

/**
 * The broker integration tests talk to: `MQTT_URL` when set (CI points it at Mosquitto), else an
 * embedded aedes broker on a free loopback port, so `npm test` also passes on a fresh machine.
 */
export async function startTestBroker(): Promise<TestBroker> {
  const unique = (label: string) => {
    const id = randomUUID().slice(0, 8);
    return { prefix: `qwtest/${label}-${id}`, clientId: `qwtest-${label}-${id}` };
  };
  const external = process.env.MQTT_URL;
  if (external) return { url: external, unique, stop: async () => undefined };
  if (process.env.CI === 'true') {
    throw new Error(
      'CI=true but MQTT_URL is not set: CI must run the integration tests against a real broker',
    );
  }
  const broker = new EmbeddedBroker(0);
  await broker.start();
  return { url: broker.url, unique, stop: () => broker.stop() };
}
