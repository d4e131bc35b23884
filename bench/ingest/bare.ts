/**
 * The reference: a bare mqtt.js subscriber on the same topics, at the QoS the service subscribes
 * with (1), that only counts messages. Its rate is what the broker and loader deliver on this machine.
 */
import mqtt from 'mqtt';

export interface BareSubscriber {
  readonly received: () => number;
  stop(): Promise<void>;
}

/**
 * `session` gives the subscriber a persistent session under that client id (as the service has):
 * the broker keeps its subscriptions and queues its messages while it is away. `topics` empty then
 * resumes the session without subscribing again.
 */
export async function startBareSubscriber(
  url: string,
  topics: readonly string[],
  session?: string,
): Promise<BareSubscriber> {
  let received = 0;
  const client = mqtt.connect(url, {
    clientId: session ?? `bench-bare-${process.pid}`,
    clean: session === undefined,
    manualConnect: true,
  });
  // Counting from before the connection: a resumed session's queue comes as soon as it is up.
  client.on('message', () => {
    received++;
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.connect();
  });
  // Subscribed in chunks, as one SUBSCRIBE of 100,000 filters is a packet of megabytes.
  for (let i = 0; i < topics.length; i += 5_000)
    await client.subscribeAsync(topics.slice(i, i + 5_000) as string[], { qos: 1 });
  return { received: () => received, stop: () => client.endAsync() };
}
