/**
 * Disk writes per stored reading at a fleet's real pace, not a flood: every meter reports once each
 * `--every-seconds` (default 60), spread evenly over the period, at QoS 1, into the real service
 * (`quietwatt run`, a child process, as in bench:ingest) on a private Mosquitto. For each
 * `storage.flushEverySeconds` in `--flush-seconds`, a fresh service and store; after one warm-up
 * period (each meter's first reading creates its rows), the bytes the service caused to be written
 * to storage (Linux /proc/PID/io, its SQLite WAL and database file, checkpoints included) are
 * counted over `--periods` periods, over the readings committed meanwhile.
 *
 *   npm run bench:disk-writes [-- --meters 20000 --every-seconds 60 --periods 3 --flush-seconds 2,10,60]
 *                             [-- --built]   (the compiled service, as npm start runs it)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../test/helpers/free-port.js';
import { startMosquitto } from './api/broker.js';
import { listArg, numberArg } from './args.js';
import { cpuSeconds, writtenBytes } from './ingest/cpu.js';
import { type RunningService, startService } from './ingest/service.js';

const METERS = numberArg('meters', 20_000);
const EVERY_S = numberArg('every-seconds', 60);
const PERIODS = numberArg('periods', 3);
const FLUSH_SECONDS = listArg('flush-seconds', '2,10,60');
/** Publishing is spread over the period in ticks this long. */
const TICK_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * Publishes every meter once a period, meter m at m / meters of the way through it, each reading
 * stamped with its publish time and a register rising 10 Wh a minute. Resolves after `periods`.
 */
async function publishPaced(url: string, prefix: string, periods: number, onPeriod: (p: number) => void) {
  const client = await mqtt.connectAsync(url, { clientId: `bench-paced-${process.pid}`, clean: true });
  const periodMs = EVERY_S * 1000;
  const startMs = Date.now();
  let next = 0; // readings published so far, over all periods
  try {
    for (let p = 0; p < periods; p++) {
      onPeriod(p);
      for (;;) {
        const dueMs = Date.now() - startMs;
        const due = Math.min((p + 1) * METERS, Math.floor((dueMs / periodMs) * METERS));
        const sends: Promise<unknown>[] = [];
        for (; next < due; next++) {
          const m = next % METERS;
          const energyKWh = 1000 + m + (Date.now() - startMs) / 6_000_000;
          const payload = `{"ts":"${new Date().toISOString()}","energyKWh":${energyKWh.toFixed(4)}}`;
          sends.push(client.publishAsync(`${prefix}/${m}`, payload, { qos: 1 }));
        }
        await Promise.all(sends);
        if (next >= (p + 1) * METERS) break;
        await sleep(TICK_MS);
      }
    }
  } finally {
    await client.endAsync();
  }
}

async function waitStored(service: RunningService, expected: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (service.storedReadings() < expected && Date.now() < until) await sleep(200);
}

const dir = mkdtempSync(join(tmpdir(), 'qw-bench-disk-'));
const broker = await startMosquitto(dir, await freePort(), { queues: 'large' });
console.log(
  `disk-writes bench: ${fmt(METERS)} meters, each reporting every ${EVERY_S} s (${fmt(METERS / EVERY_S)} readings/s) at QoS 1; ${PERIODS} measured periods after one warm-up; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const rows: string[] = [];
try {
  for (const [run, flushS] of FLUSH_SECONDS.entries()) {
    const service = await startService({
      dir,
      storageDir: join(dir, `store-${run}`),
      mqttUrl: broker.url,
      httpPort: await freePort(),
      topicPrefix: `bench/d${run}`,
      meters: METERS,
      clientId: `quietwatt-disk-${run}`,
      flushEverySeconds: flushS,
    });
    const pid = service.child.pid;
    let mark: { bytes: number; stored: number; cpuS: number; atMs: number } | undefined;
    try {
      await service.scrape(); // resets the event-loop delay histogram
      await publishPaced(broker.url, `bench/d${run}`, PERIODS + 1, (p) => {
        // The warm-up period is over: its readings are committed within a flush or two.
        if (p === 1) mark = { bytes: writtenBytes(pid), stored: 0, cpuS: cpuSeconds(pid), atMs: Date.now() };
      });
      const end = { bytes: writtenBytes(pid), cpuS: cpuSeconds(pid), atMs: Date.now() };
      await waitStored(service, (PERIODS + 1) * METERS, (flushS + 30) * 1000);
      const loop = await service.scrape();
      if (!mark) throw new Error('no warm-up mark');
      // Readings committed over the measured periods: those published in them (each meter once a period).
      const stored = PERIODS * METERS;
      const bytes = end.bytes - mark.bytes;
      const seconds = (end.atMs - mark.atMs) / 1000;
      rows.push(
        `| ${flushS} | ${fmt(stored)} | ${fmt(bytes / 2 ** 20)} | ${fmt(bytes / stored)} | ${fmt(bytes / seconds / 2 ** 20, 2)} | ${fmt(((bytes / seconds) * 86_400) / 2 ** 30)} | ${fmt((end.cpuS - mark.cpuS) / seconds, 2)} | ${fmt(loop.p99Ms)} / ${fmt(loop.maxMs)} ms | ${fmt(service.storedReadings())} of ${fmt((PERIODS + 1) * METERS)} |`,
      );
      console.log(rows[rows.length - 1]);
    } finally {
      await service.stop();
    }
  }
  console.log(
    [
      '',
      '| flush every (s) | readings measured | written MiB | bytes a reading | MiB/s | GiB a day at this pace | service CPU (cores) | event-loop delay p99 / max | stored of published |',
      '|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
      ...rows,
    ].join('\n'),
  );
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
