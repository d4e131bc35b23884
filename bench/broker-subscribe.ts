/**
 * What the broker spends on subscribing many exact topics, the part of a large start-up the service
 * waits on. A private Mosquitto (as bench:ingest starts it) and bare mqtt.js clients that subscribe N
 * meter topics (`bench/s0/m<i>`, the start-up bench's shape) in SUBSCRIBEs of 10,000 filters (the
 * service's chunk), all sent at once, timed to the last SUBACK; then the largest N split over several
 * clients at once, to tell a cost per client from one per broker.
 *
 *   npm run bench:subscribe [-- --topics 25000,50000,100000 --clients 1,2,4]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { freePort } from '../test/helpers/free-port.js';
import { startMosquitto } from './api/broker.js';
import { listArg } from './args.js';

const SIZES = listArg('topics', '25000,50000,100000');
const CLIENTS = listArg('clients', '1,2,4');
const FILTERS_PER_SUBSCRIBE = 10_000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Subscribes `topics` in SUBSCRIBEs of FILTERS_PER_SUBSCRIBE, all sent at once; resolves at the last SUBACK. */
async function subscribeAll(client: MqttClient, topics: readonly string[]): Promise<void> {
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < topics.length; i += FILTERS_PER_SUBSCRIBE)
    acks.push(client.subscribeAsync(topics.slice(i, i + FILTERS_PER_SUBSCRIBE), { qos: 1 }));
  await Promise.all(acks);
}

const dir = mkdtempSync(join(tmpdir(), 'qw-bench-subscribe-'));
const broker = await startMosquitto(dir, await freePort());
try {
  const topicsOf = (run: string, n: number) => Array.from({ length: n }, (_, i) => `bench/${run}/m${i}`);
  console.log(
    `subscribe bench: Mosquitto at ${broker.url}, ${fmt(FILTERS_PER_SUBSCRIBE)} filters a SUBSCRIBE\n`,
  );
  console.log('| exact topics | clients | topics per client | first SUBSCRIBE to last SUBACK | per topic |');
  console.log('|--:|--:|--:|--:|--:|');
  let run = 0;
  const row = async (total: number, clients: number) => {
    const perClient = Math.ceil(total / clients);
    const prefix = `s${run++}`;
    // Connected first (new clean sessions), so that only the subscriptions are timed.
    const connected = await Promise.all(
      Array.from({ length: clients }, (_, c) =>
        mqtt.connectAsync(broker.url, { clientId: `bench-${prefix}-${c}`, clean: true, protocolVersion: 4 }),
      ),
    );
    const started = performance.now();
    await Promise.all(
      connected.map((client, c) => subscribeAll(client, topicsOf(`${prefix}/c${c}`, perClient))),
    );
    const ms = performance.now() - started;
    await Promise.all(connected.map((client) => client.endAsync()));
    console.log(
      `| ${fmt(total)} | ${clients} | ${fmt(perClient)} | ${(ms / 1000).toFixed(2)} s | ${((ms * 1000) / total).toFixed(1)} us |`,
    );
  };
  for (const n of SIZES) await row(n, 1);
  const largest = Math.max(...SIZES);
  for (const c of CLIENTS) if (c > 1) await row(largest, c);
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
