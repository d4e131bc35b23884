/**
 * The drain runs (`--drain`): the same comparison with the loader out of the way. Each consumer
 * subscribes under a persistent session and goes away; the loader publishes for the run's length
 * into the broker's queue for it; then the consumer comes back and takes the whole backlog. Its
 * rate is readings over the time from the first one it received to the last one it counted
 * (QuietWatt: committed), so the loader cannot be what bounds it: it has finished before the
 * consumer starts. On two cores the broker, single-threaded, and the consumer then share the machine
 * alone. QoS 1 only: a broker queues QoS 0 messages for an absent client only if told to.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE_NAME } from '../../src/adapters/sqlite/storage.js';
import { freePort } from '../../test/helpers/free-port.js';
import { startMosquitto } from '../api/broker.js';
import { startBareSubscriber } from './bare.js';
import { cpuMeter } from './cpu.js';
import { startService } from './service.js';

export interface LoaderRun {
  readonly ready: Promise<void>;
  readonly done: Promise<{ readonly published: number; readonly ratePerS: number }>;
}

export interface DrainSetup {
  readonly dir: string;
  readonly seconds: number;
  readonly perMeter: number;
  readonly runLoader: (
    url: string,
    prefix: string,
    meters: number,
    perMeter: number,
    qos: number,
    seconds: number,
  ) => LoaderRun;
  /**
   * Polls `count` until it reaches `expected` or stops changing for `settleMs`; `firstMs` is when it
   * was first seen above zero.
   */
  readonly follow: (
    count: () => number,
    expected: number,
    settleMs: number,
    onProgress: () => void,
  ) => Promise<{ n: number; firstMs: number; lastMs: number }>;
  readonly settleMs: number;
  readonly serviceSettleMs: number;
  /** Where the service's drain run writes a CPU profile (`--cpu-prof`), one folder per size. */
  readonly cpuProfDir?: (meters: number) => string;
  /** The service's `storage.flushEverySeconds`, as in the live runs; its default when absent. */
  readonly flushEverySeconds?: number;
}

export interface DrainResult {
  readonly published: number;
  readonly loaderRatePerS: number;
  readonly received: number;
  readonly ratePerS: number;
  /** CPU seconds per second while draining, broker and consumer. */
  readonly brokerCores: number;
  readonly consumerCores: number;
}

/**
 * The broker holds the whole run's readings for an absent client: an upper bound of 200,000 a second
 * (the loader alone publishes about 100,000 here; past the bound the broker drops, and the run says so).
 */
const MOST_PER_SECOND = 200_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function brokerFor(setup: DrainSetup, name: string) {
  const dir = join(setup.dir, name);
  mkdirSync(dir, { recursive: true });
  return startMosquitto(dir, await freePort(), {
    queues: 'large',
    maxQueuedMessages: MOST_PER_SECOND * setup.seconds,
  });
}

export async function drainBare(setup: DrainSetup, meters: number, run: number): Promise<DrainResult> {
  const broker = await brokerFor(setup, `drain-bare-${run}`);
  const prefix = `bench/d${run}-bare`;
  const session = `bench-drain-bare-${run}`;
  const first = await startBareSubscriber(
    broker.url,
    Array.from({ length: meters }, (_, m) => `${prefix}/${m}`),
    session,
  );
  await first.stop();
  const loader = setup.runLoader(broker.url, prefix, meters, setup.perMeter, 1, setup.seconds);
  const load = await loader.done;
  const bare = await startBareSubscriber(broker.url, [], session);
  const cpu = cpuMeter({ broker: broker.pid, consumer: process.pid });
  const b = await setup.follow(bare.received, load.published, setup.settleMs, cpu.sample);
  await bare.stop();
  await broker.stop();
  return result(load, b, b.firstMs, cpu.cores());
}

export async function drainService(setup: DrainSetup, meters: number, run: number): Promise<DrainResult> {
  const broker = await brokerFor(setup, `drain-service-${run}`);
  const prefix = `bench/d${run}`;
  const storageDir = join(setup.dir, `store-drain-${run}`);
  const options = {
    dir: setup.dir,
    storageDir,
    mqttUrl: broker.url,
    topicPrefix: prefix,
    meters,
    clientId: `quietwatt-bench-drain-${run}`,
    ...(setup.flushEverySeconds !== undefined ? { flushEverySeconds: setup.flushEverySeconds } : {}),
  };
  // The first start leaves the session and its subscriptions at the broker (a stop keeps them).
  const first = await startService({ ...options, httpPort: await freePort() });
  await first.stop();
  const loader = setup.runLoader(broker.url, prefix, meters, setup.perMeter, 1, setup.seconds);
  const load = await loader.done;
  // Watched from the bench's own connection from the spawn on: the backlog starts as soon as the
  // service's MQTT connection is up, while it is still starting.
  const db = new Database(join(storageDir, DB_FILE_NAME), { readonly: true });
  const inboxSeq = db
    .prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'inbound_inbox'")
    .pluck();
  const seqBefore = inboxSeq.get() as number;
  let firstMs = Number.NaN;
  let starting = true;
  const cpuProfDir = setup.cpuProfDir?.(meters);
  const service = startService({
    ...options,
    httpPort: await freePort(),
    ...(cpuProfDir ? { cpuProfDir } : {}),
  }).finally(() => {
    starting = false;
  });
  while (starting && Number.isNaN(firstMs)) {
    if ((inboxSeq.get() as number) > seqBefore) firstMs = performance.now();
    else await sleep(20);
  }
  const running = await service;
  if (Number.isNaN(firstMs)) firstMs = performance.now();
  db.close();
  const cpu = cpuMeter({ broker: broker.pid, consumer: running.child.pid });
  const s = await setup.follow(running.storedReadings, load.published, setup.serviceSettleMs, cpu.sample);
  running.checkStoredCount();
  await running.stop();
  await broker.stop();
  return result(load, s, firstMs, cpu.cores());
}

/** A drain's figures: its rate from the first reading taken to the last one counted. */
function result(
  load: { readonly published: number; readonly ratePerS: number },
  drained: { readonly n: number; readonly lastMs: number },
  firstMs: number,
  cores: Record<string, number>,
): DrainResult {
  return {
    published: load.published,
    loaderRatePerS: load.ratePerS,
    received: drained.n,
    ratePerS: drained.n / ((drained.lastMs - firstMs) / 1000),
    brokerCores: cores.broker ?? Number.NaN,
    consumerCores: cores.consumer ?? Number.NaN,
  };
}
