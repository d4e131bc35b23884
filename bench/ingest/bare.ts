/**
 * The reference: a bare mqtt.js subscriber on the same topics, at the QoS the service subscribes
 * with (1), that only counts messages. Its rate is what the broker and loader deliver on this machine.
 */
import mqtt from 'mqtt';

export interface BareSubscriber {
  readonly received: () => number;
  stop(): Promise<void>;
}

export async function startBareSubscriber(url: string, topics: readonly string[]): Promise<BareSubscriber> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-bare-${process.pid}`, clean: true });
  let received = 0;
  client.on('message', () => {
    received++;
  });
  // Subscribed in chunks, as one SUBSCRIBE of 100,000 filters is a packet of megabytes.
  for (let i = 0; i < topics.length; i += 5_000)
    await client.subscribeAsync(topics.slice(i, i + 5_000) as string[], { qos: 1 });
  return { received: () => received, stop: () => client.endAsync() };
}
