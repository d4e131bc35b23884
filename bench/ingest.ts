/**
 * Ingest at scale, measured against a bare subscriber in the same run. A private Mosquitto on a free
 * loopback port (`set_tcp_nodelay true`, persistence off; Mosquitto's default queues unless
 * `--queues large`), a loader process publishing every meter's readings as fast as the broker takes
 * them, and, one after the other on the same broker and loader:
 *   1. a bare mqtt.js subscriber that only counts messages on the same topics (the reference), and
 *   2. the real service (`quietwatt run`, a child process) ingesting, validating, aggregating and
 *      committing the same stream to its SQLite store; its rate is taken from committed readings.
 * Each rate is readings over the time from the loader's first publish to the last one received or
 * committed (read from the service's inbox at QoS 1, see ingest/service.ts); the service's includes
 * the wait for its last flush once the stream ends, printed beside it. In these live runs the loader
 * and broker share the two cores with the consumer, and a consumer that keeps up takes what the
 * loader manages to publish. `--drain` adds runs in which the loader is out of the way: each
 * consumer takes a backlog published while it was away (ingest/drain.ts), so its rate is its own
 * and the broker's. Then, per `--startup` size: start-up time, and
 * the service's memory idle and once every meter's reading window is full (the windows are seeded
 * in the store and one more reading per meter loads them).
 *
 *   npm run bench:ingest [-- --meters 2000,20000 --qos 1,0 --per-meter 10 --queues default|large]
 *                        [-- --seconds 60]   (each loader publishes rounds of every meter for this long
 *                                             instead of --per-meter readings; at most 9,000 rounds)
 *                        [-- --startup 10000,100000 | --startup none] [-- --throughput none]
 *                        [-- --covering]   (in the start-up runs, one `mqtt.coveringFilters` wildcard
 *                                           for every meter topic instead of a subscription per
 *                                           meter: docs/scaling.md's setting for a large site)
 *                        [-- --drain]   (also the drain runs, QoS 1, per --meters size, for --seconds
 *                                        or 60 s of publishing; with --throughput none, only them)
 *                        [-- --cpu-prof DIR]   (a CPU profile of each service run, for `node --cpu-prof`)
 *                        [-- --flush-seconds 10]   (the service's `storage.flushEverySeconds` in the
 *                                             throughput runs: docs/scaling.md's setting for meters
 *                                             that report every few seconds; `default` for 2 s)
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/free-port.js';
import { startMosquitto } from './api/broker.js';
import { listArg, stringArg } from './args.js';
import { ownChild } from './children.js';
import { startBareSubscriber } from './ingest/bare.js';
import { cpuMeter, writtenBytes } from './ingest/cpu.js';
import { type DrainSetup, drainBare, drainService } from './ingest/drain.js';
import { machineBound } from './ingest/machine-bound.js';
import { startService } from './ingest/service.js';
import { seedFullWindows } from './ingest/windows.js';

const METER_SIZES = listArg('meters', '2000,20000');
const QOS_LEVELS = listArg('qos', '1,0');
/** With --seconds, each loader publishes for that long instead of a number of readings per meter. */
const SECONDS = Number(stringArg('seconds', '0'));
/** Rounds at most in a timed run: the first reading then lies 6.25 days back, inside the 7-day age limit. */
const MAX_ROUNDS = 9_000;
const PER_METER = SECONDS > 0 ? MAX_ROUNDS : Number(stringArg('per-meter', '10'));
const STARTUP_SIZES = listArg('startup', '10000,100000');
const QUEUES = stringArg('queues', 'default') === 'large' ? 'large' : 'default';
const COVERING = process.argv.includes('--covering');
const DRAIN = process.argv.includes('--drain');
/** #10's goal for QuietWatt's rate over the bare subscriber's. */
const GOAL_RATIO = 0.8;
/** The drain runs' sizes: `--meters`, also under `--throughput none`. */
const DRAIN_SIZES = [...METER_SIZES];
const CPU_PROF = process.argv.includes('--cpu-prof') ? stringArg('cpu-prof', 'bench-profiles') : undefined;
const FLUSH_ARG = stringArg('flush-seconds', '10');
const FLUSH_SECONDS = FLUSH_ARG === 'default' ? undefined : Number(FLUSH_ARG);
if (process.argv.includes('--throughput') && stringArg('throughput', '') === 'none') METER_SIZES.length = 0;
/**
 * A consumer is done when nothing more arrives for this long after the loader ends. The service's
 * flushes (every 2 s) can be held back for many seconds while a backlog of messages is dispatched,
 * so it gets longer; the rate is taken at the last change, so the wait does not count.
 */
const SETTLE_MS = 5_000;
const SERVICE_SETTLE_MS = 30_000;
const MIB = 1024 * 1024;
/** The broker's queue holds this much more than the bare run's publish rate times the run's length. */
const QUEUE_MARGIN = 1.5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuCells = (c: Record<string, number>) =>
  [c.loader, c.broker, c.consumer, c.bench]
    .filter((x) => x !== undefined)
    .map((x) => (x ?? Number.NaN).toFixed(2))
    .join(' / ');

interface LoaderResult {
  readonly published: number;
  readonly elapsedS: number;
  readonly ratePerS: number;
}

/** Starts the loader: `ready` resolves when it is connected, `done` with its result when it exits. */
function runLoader(
  url: string,
  prefix: string,
  meters: number,
  perMeter: number,
  qos: number,
  seconds = 0,
): { child: ChildProcess; ready: Promise<void>; done: Promise<LoaderResult> } {
  const child = ownChild(
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/ingest/loader.ts',
        url,
        prefix,
        String(meters),
        String(perMeter),
        String(qos),
        '0',
        String(seconds),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) {
      out = out.slice('ready\n'.length);
      onReady();
    }
  });
  const done = new Promise<LoaderResult>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()) as LoaderResult)
        : reject(new Error(`loader exited ${code}`)),
    ),
  );
  return { child, ready, done };
}

/**
 * Polls `count` until it reaches `expected` (for a timed loader, what it published, once it is
 * done), or the loader is done and nothing more came for `settleMs`. Returns the count, and the time
 * from the first reading counted to the last.
 */
async function follow(
  count: () => number,
  expectedAtStart: number | undefined,
  loaderDone: Promise<LoaderResult>,
  settleMs = SETTLE_MS,
  onProgress: () => void = () => undefined,
  onPoll: () => void = () => undefined,
): Promise<{ n: number; firstMs: number; lastMs: number }> {
  let done = false;
  let expected = expectedAtStart ?? Number.POSITIVE_INFINITY;
  void loaderDone.then(
    (r) => {
      done = true;
      if (expectedAtStart === undefined) expected = r.published;
    },
    () => {
      done = true;
    },
  );
  let n = 0;
  let firstMs = Number.NaN;
  let lastMs = performance.now();
  for (;;) {
    const countStart = performance.now();
    const now = count();
    onPoll();
    // A count that takes long would, polled every 20 ms, take a core from the loader, the broker and
    // the service. So the bench waits 20 times as long as the count took (5 % of a core at most).
    const countMs = performance.now() - countStart;
    if (now !== n) {
      if (n === 0) firstMs = performance.now();
      n = now;
      lastMs = performance.now();
      onProgress();
    }
    if (n >= expected || (done && performance.now() - lastMs > settleMs)) return { n, firstMs, lastMs };
    await sleep(Math.max(20, 20 * countMs));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'qw-bench-ingest-'));
const broker = await startMosquitto(dir, await freePort(), { queues: QUEUES });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
let run = 0;
console.log(
  `ingest bench: Mosquitto at ${broker.url} (${QUEUES} queues), loader in its own process, ${SECONDS > 0 ? `publishing for ${SECONDS} s` : `${PER_METER} readings per meter`}; the service writes every ${FLUSH_SECONDS ?? 2} s (storage.flushEverySeconds); load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
try {
  const rows: string[] = [];
  const cpuRows: string[] = [];
  for (const meters of METER_SIZES) {
    for (const qos of QOS_LEVELS) {
      run++;
      const total = SECONDS > 0 ? undefined : meters * PER_METER;
      // 1. The bare subscriber, on its own topics (a previous run's session must not receive them).
      const barePrefix = `bench/r${run}-bare`;
      const bare = await startBareSubscriber(
        broker.url,
        Array.from({ length: meters }, (_, m) => `${barePrefix}/${m}`),
      );
      const bareLoader = runLoader(broker.url, barePrefix, meters, PER_METER, qos, SECONDS);
      await bareLoader.ready;
      const bareStart = performance.now();
      const bareCpu = cpuMeter({ loader: bareLoader.child.pid, broker: broker.pid, consumer: process.pid });
      const b = await follow(bare.received, total, bareLoader.done, SETTLE_MS, bareCpu.sample);
      const bareLoad = await bareLoader.done;
      await bare.stop();
      // Rates over the time from the loader's first publish to the last reading received or committed.
      const bareRate = b.n / ((b.lastMs - bareStart) / 1000);

      // With large queues, the service's broker is sized by the formula in docs/scaling.md: the
      // publish rate (the bare run's) times the longest outage, here the whole run (the service
      // might take nothing at all). Mosquitto 2.0 does not change this limit on a reload, so the
      // service gets a broker of its own, configured as the first but for the limit.
      let serviceBroker = broker;
      if (QUEUES === 'large') {
        const queued = Math.ceil(total ?? QUEUE_MARGIN * bareLoad.ratePerS * SECONDS);
        serviceBroker = await startMosquitto(mkdtempSync(join(dir, 'broker-')), await freePort(), {
          queues: 'large',
          maxQueuedMessages: queued,
        });
        console.log(`  the service's broker: max_queued_messages ${fmt(queued)}`);
      }
      // 2. The real service on the same stream, from an empty store.
      const storageDir = join(dir, `store-${run}`);
      const prefix = `bench/r${run}`;
      const profDir = CPU_PROF ? join(CPU_PROF, `${meters}-qos${qos}`) : undefined;
      if (profDir) mkdirSync(profDir, { recursive: true });
      const service = await startService({
        dir,
        storageDir,
        mqttUrl: serviceBroker.url,
        httpPort: await freePort(),
        topicPrefix: prefix,
        meters,
        clientId: `quietwatt-bench-${run}`,
        ...(profDir ? { cpuProfDir: profDir } : {}),
        ...(FLUSH_SECONDS !== undefined ? { flushEverySeconds: FLUSH_SECONDS } : {}),
      });
      await service.scrape(); // resets the event-loop histogram: from here on is the loaded window
      const loader = runLoader(serviceBroker.url, prefix, meters, PER_METER, qos, SECONDS);
      await loader.ready;
      const start = performance.now();
      const cpu = cpuMeter({
        loader: loader.child.pid,
        broker: serviceBroker.pid,
        consumer: service.child.pid,
        bench: process.pid,
      });
      const writtenAtStart = writtenBytes(service.child.pid);
      // When the service last appended a message to its inbox: the rest of the tail is its last flush.
      let received = 0;
      let lastReceivedMs = start;
      const pollReceived = () => {
        const n = service.receivedMessages();
        if (n !== received) {
          received = n;
          lastReceivedMs = performance.now();
        }
      };
      // At QoS 0 nothing goes through the inbox: the readings are counted in the store, more slowly.
      const s = await follow(
        qos > 0 ? service.storedReadings : service.countReadings,
        total,
        loader.done,
        SERVICE_SETTLE_MS,
        cpu.sample,
        pollReceived,
      );
      if (qos > 0) service.checkStoredCount();
      const load = await loader.done;
      const written = writtenBytes(service.child.pid) - writtenAtStart;
      const loop = await service.scrape();
      const rss = service.rss();
      await service.stop();
      if (serviceBroker !== broker) await serviceBroker.stop();
      console.log(`  service log (warn and above): ${service.logSummary()}`);
      const rate = s.n / ((s.lastMs - start) / 1000);
      // Part of the service's time is the wait for its last periodic flush after the stream ends.
      const tailS = Math.max(0, (s.lastMs - start) / 1000 - load.elapsedS);
      const receivedTailS = Math.max(0, (lastReceivedMs - start) / 1000 - load.elapsedS);
      cpuRows.push(
        `| ${fmt(meters)} | ${qos} | ${cpuCells(bareCpu.cores())} | ${cpuCells(cpu.cores())} | ${fmt(written / MIB)} MiB, ${fmt(written / Math.max(1, s.n))} bytes a reading |`,
      );
      rows.push(
        `| ${fmt(meters)} | ${qos} | ${total !== undefined ? fmt(total) : `${fmt(bareLoad.published)} / ${fmt(load.published)}`} | ${fmt(bareLoad.ratePerS)} / ${fmt(load.ratePerS)} | ${fmt(bareRate)} (lost ${fmt(bareLoad.published - b.n)}) | ${fmt(rate)} (lost ${fmt(load.published - s.n)}) | ${(rate / bareRate).toFixed(2)} | ${(bareRate / bareLoad.ratePerS).toFixed(2)} / ${(rate / load.ratePerS).toFixed(2)} | ${received > 0 ? `${receivedTailS.toFixed(1)} s` : '—'} / ${tailS.toFixed(1)} s | ${loop.p99Ms.toFixed(0)} / ${loop.maxMs.toFixed(0)} ms | ${(rss.nowBytes / MIB).toFixed(0)} / ${(rss.peakBytes / MIB).toFixed(0)} MiB |`,
      );
      console.log(rows[rows.length - 1]);
    }
  }
  if (rows.length > 0) {
    console.log(
      '\n| meters | QoS | readings (timed: bare / service run) | loader readings/s (bare / service run) | bare subscriber readings/s | QuietWatt stored readings/s | ratio | of what its loader sent (bare / QuietWatt) | last reading received / stored after the last publish | service event-loop delay p99 / max | service RSS end / peak |',
    );
    console.log('|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of rows) console.log(r);
    console.log(
      "\nOf what its loader sent: each consumer's rate over the rate its run's loader published at. Below 1 the consumer, not the loader, set the pace.",
    );
    console.log(
      '\nCPU in cores (CPU seconds per second of the run, all threads; the machine has 2), from the first publish to the last reading counted, and what the service wrote to disk meanwhile (its SQLite WAL and database file):\n',
    );
    console.log(
      '| meters | QoS | bare run: loader / broker / bare subscriber | service run: loader / broker / QuietWatt / the bench counting stored readings | QuietWatt wrote to disk |',
    );
    console.log('|--:|--:|--:|--:|--:|');
    for (const r of cpuRows) console.log(r);
  }

  if (DRAIN) await drainRuns();

  const memRows: string[] = [];
  // Every window must fill, so here the broker queues whatever the service has not yet taken.
  const memBroker =
    STARTUP_SIZES.length === 0 || QUEUES === 'large'
      ? broker
      : await startMosquitto(mkdirSync(join(dir, 'large'), { recursive: true }) ?? dir, await freePort(), {
          queues: 'large',
        });
  for (const meters of STARTUP_SIZES) {
    run++;
    const storageDir = join(dir, `store-${run}`);
    const prefix = `bench/r${run}`;
    // The loader's one reading per meter comes at least a minute after the seeded windows end.
    const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 60_000;
    const seedStart = performance.now();
    seedFullWindows(storageDir, meters, endMs);
    const seedS = (performance.now() - seedStart) / 1000;
    const profDir = CPU_PROF ? join(CPU_PROF, `startup-${meters}`) : undefined;
    if (profDir) mkdirSync(profDir, { recursive: true });
    const service = await startService({
      dir,
      storageDir,
      mqttUrl: memBroker.url,
      httpPort: await freePort(),
      topicPrefix: prefix,
      meters,
      clientId: `quietwatt-bench-${run}`,
      covering: COVERING,
      ...(profDir ? { cpuProfDir: profDir } : {}),
    });
    await sleep(2_000);
    await service.collectGarbage();
    const idle = await service.scrape();
    const idleRss = service.rss();
    const loader = runLoader(memBroker.url, prefix, meters, 1, 1);
    const s = await follow(service.storedReadings, meters, loader.done, SERVICE_SETTLE_MS);
    await loader.done;
    await sleep(2_000);
    await service.collectGarbage();
    const full = await service.scrape();
    const fullRss = service.rss();
    await service.stop();
    const live = (x: { heapUsedBytes: number; externalBytes: number }) => x.heapUsedBytes + x.externalBytes;
    memRows.push(
      `| ${fmt(meters)} | ${(service.startupMs / 1000).toFixed(1)} s | ${(idleRss.nowBytes / MIB).toFixed(0)} / ${(idle.heapUsedBytes / MIB).toFixed(0)} + ${(idle.externalBytes / MIB).toFixed(0)} MiB | ${(fullRss.nowBytes / MIB).toFixed(0)} / ${(full.heapUsedBytes / MIB).toFixed(0)} + ${(full.externalBytes / MIB).toFixed(0)} MiB (${fmt(s.n)} windows) | ${((live(full) - live(idle)) / meters / 1024).toFixed(1)} KiB | ${(fullRss.peakBytes / MIB).toFixed(0)} MiB | ${seedS.toFixed(0)} s |`,
    );
    console.log(memRows[memRows.length - 1]);
  }
  if (memBroker !== broker) await memBroker.stop();
  if (memRows.length > 0) {
    console.log(
      '\n| meters configured | start-up (spawn to ready) | idle: RSS / heap used + external (after a full GC) | windows full: RSS / heap + external | heap + external per full window | peak RSS | seeding the windows |',
    );
    console.log('|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of memRows) console.log(r);
  }
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

/** `--drain`: each consumer takes a backlog the loader published while it was away (drain.ts). */
async function drainRuns(): Promise<void> {
  const setup: DrainSetup = {
    dir,
    seconds: SECONDS > 0 ? SECONDS : 60,
    perMeter: MAX_ROUNDS,
    runLoader,
    follow: (count, expected, settleMs, onProgress) =>
      follow(
        count,
        expected,
        Promise.resolve({ published: expected, elapsedS: 0, ratePerS: 0 }),
        settleMs,
        onProgress,
      ),
    settleMs: SETTLE_MS,
    serviceSettleMs: SERVICE_SETTLE_MS,
    ...(FLUSH_SECONDS !== undefined ? { flushEverySeconds: FLUSH_SECONDS } : {}),
    ...(CPU_PROF ? { cpuProfDir: (meters: number) => join(CPU_PROF, `drain-${meters}`) } : {}),
  };
  const drainRows: string[] = [];
  const boundRows: string[] = [];
  const cores = availableParallelism();
  for (const meters of DRAIN_SIZES) {
    run++;
    const bare = await drainBare(setup, meters, run);
    const service = await drainService(setup, meters, run);
    const b = machineBound(bare, service, cores, GOAL_RATIO);
    boundRows.push(
      `| ${fmt(meters)} | ${b.bareUsPerReading.toFixed(1)} | ${b.serviceUsPerReading.toFixed(1)} | ${b.extraUsPerReading.toFixed(1)} | ${b.mostRatio.toFixed(2)} | ${b.targetUsPerReading.toFixed(1)} |`,
    );
    drainRows.push(
      `| ${fmt(meters)} | ${fmt(bare.published)} / ${fmt(service.published)} | ${fmt(bare.loaderRatePerS)} / ${fmt(service.loaderRatePerS)} | ${fmt(bare.ratePerS)} (lost ${fmt(bare.published - bare.received)}) | ${fmt(service.ratePerS)} (lost ${fmt(service.published - service.received)}) | ${(service.ratePerS / bare.ratePerS).toFixed(2)} | ${bare.brokerCores.toFixed(2)} / ${bare.consumerCores.toFixed(2)} | ${service.brokerCores.toFixed(2)} / ${service.consumerCores.toFixed(2)} |`,
    );
    console.log(drainRows[drainRows.length - 1]);
  }
  console.log(
    '\nDrain runs (QoS 1): the loader publishes while the consumer is away, then the consumer takes the backlog.\n',
  );
  console.log(
    '| meters | readings (bare / service run) | loader readings/s, alone | bare subscriber drained readings/s | QuietWatt drained and stored readings/s | ratio | CPU cores, bare run: broker / bare subscriber | CPU cores, service run: broker / QuietWatt (from ready) |',
  );
  console.log('|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of drainRows) console.log(r);
  console.log(
    `\nWhat ${cores} cores allow: the CPU a drained reading costs the machine (broker and consumer, all threads), and the highest ratio a service doing the same work per reading could reach with every core busy (perfectly parallel), against the ${GOAL_RATIO} goal.\n`,
  );
  console.log(
    `| meters | bare run, µs CPU a reading | service run, µs CPU a reading | service's consumer beyond the bare subscriber's, µs | most ratio on ${cores} cores | µs a reading for ${GOAL_RATIO} |`,
  );
  console.log('|--:|--:|--:|--:|--:|--:|');
  for (const r of boundRows) console.log(r);
}
