/**
 * What the write-ahead inbox costs on the ingest path: the same QoS 1 stream through the MQTT bus and
 * the ingest service into a SQLite file, once acknowledged on dispatch (no inbox, as before) and once
 * appended to the inbox before each PUBACK. Reports readings/s (from accepted readings; every flush
 * is on a 2 s timer) and the event-loop delay of the ingesting process.
 * The broker is a private Mosquitto on a free loopback port with queues large enough that nothing
 * is dropped (bench/api/broker.ts); MQTT_URL points it at another one instead.
 * Run: npx tsx bench/ingest-inbox.ts [meters] [readings per meter]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { SystemClock } from '../src/adapters/clock/system-clock.js';
import { MqttBus } from '../src/adapters/mqtt/mqtt-bus.js';
import { openSqliteStorage, SqliteInbox, sqliteAtomically } from '../src/adapters/sqlite/index.js';
import { SiteConfig } from '../src/config/schema/site.js';
import type { Job, JobTiming, ScheduledJob, Scheduler } from '../src/ports/scheduler.js';
import { IngestService } from '../src/services/ingest/ingest-service.js';
import { startMosquitto } from './api/broker.js';

const MIN = 60_000;

if (process.argv[2] === '--loader') {
  // The loader, in its own process: every meter's readings at QoS 1, up to 500 in flight.
  const [, , , url = '', prefix, metersArg, perMeterArg] = process.argv;
  const meters = Number(metersArg);
  const perMeter = Number(perMeterArg);
  const client = await mqtt.connectAsync(url, { clientId: `${prefix}-loader`.replace(/\//g, '-') });
  const t0 = Date.now() - (perMeter + 10) * MIN;
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < perMeter; i++) {
    for (let m = 0; m < meters; m++) {
      const p = client.publishAsync(
        `${prefix}/m${m}`,
        JSON.stringify({ ts: t0 + i * MIN, energyKWh: 100 + i * 0.1 }),
        { qos: 1 },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= 500) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  await client.endAsync();
  process.exit(0);
}

class TimerScheduler implements Scheduler {
  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob {
    const everyMs = 'everySeconds' in timing && timing.everySeconds ? timing.everySeconds * 1000 : 60_000;
    const timer = setInterval(() => void job(), everyMs);
    return { name, cancel: () => clearInterval(timer) };
  }
  async stop(): Promise<void> {}
}

const silent = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

async function run(url: string, withInbox: boolean, meters: number, perMeter: number) {
  const dir = mkdtempSync(join(tmpdir(), 'qw-bench-inbox-'));
  const prefix = `qwbench/inbox-${Date.now()}-${withInbox ? 'on' : 'off'}`;
  const storage = openSqliteStorage(dir, silent);
  const db = storage.database.db;
  const clock = new SystemClock();
  const bus = new MqttBus(
    {
      url,
      clientId: prefix.replace(/\//g, '-'),
      protocolVersion: 4,
      persistentSession: false,
      sessionExpirySeconds: 0,
      ...(withInbox ? { inbox: new SqliteInbox(db) } : {}),
    },
    clock,
    silent,
  );
  await bus.start();
  const site = SiteConfig.parse({
    id: 'site',
    name: 'Bench',
    timezone: 'UTC',
    spaces: [
      {
        id: 'lobby',
        type: 'lobby',
        areaM2: 100,
        meters: Array.from({ length: meters }, (_, m) => ({
          id: `m${m}`,
          topic: `${prefix}/m${m}`,
          measures: 'total',
          format: 'json',
        })),
      },
    ],
  });
  const service = new IngestService({
    bus,
    clock,
    log: silent,
    scheduler: new TimerScheduler(),
    readings: storage.stores.readings,
    intervals: storage.stores.intervals,
    meterState: storage.stores.meterState,
    config: { sites: [site], rawRetentionDays: 35 },
    maxPayloadBytes: 1024,
    ...(withInbox ? { inbox: new SqliteInbox(db), atomically: sqliteAtomically(db) } : {}),
  });
  await service.start();
  bus.settle();
  const total = meters * perMeter;
  const accepted = () => Object.values(service.stats().meters).reduce((s, m) => s + m.accepted, 0);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = performance.now();
  const loader = fork(new URL(import.meta.url), ['--loader', url, prefix, String(meters), String(perMeter)], {
    execArgv: ['--import', 'tsx'],
  });
  // The broker drops what exceeds its queue for a slow subscriber (Mosquitto: max_queued_messages,
  // 1,000 by default), so the end is when the loader is done and nothing more arrives for 1 s.
  let loaderDone = false;
  loader.once('exit', () => {
    loaderDone = true;
  });
  let last = 0;
  let lastChangeMs = performance.now();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const n = accepted();
      if (n !== last) {
        last = n;
        lastChangeMs = performance.now();
      }
      if (n >= total || (loaderDone && performance.now() - lastChangeMs > 1_000)) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
  const seconds = (lastChangeMs - start) / 1000;
  delay.disable();
  if (!loaderDone) await new Promise((r) => loader.once('exit', r));
  await service.stop();
  await bus.stop();
  const stored = storage.stores.readings.countReadings();
  storage.database.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    rate: last / seconds,
    p99Ms: delay.percentile(99) / 1e6,
    maxMs: delay.max / 1e6,
    stored,
    total,
  };
}

const meters = Number(process.argv[2] ?? 200);
const perMeter = Number(process.argv[3] ?? 100);
const brokerDir = mkdtempSync(join(tmpdir(), 'qw-bench-broker-'));
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const address = probe.address();
    probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
  });
});
const broker = process.env.MQTT_URL ? undefined : await startMosquitto(brokerDir, port);
const url = process.env.MQTT_URL ?? broker?.url ?? '';
console.log(
  `ingest over ${url}: ${meters} meters x ${perMeter} readings at QoS 1, loader in its own process`,
);
for (const withInbox of [false, true, false, true]) {
  const r = await run(url, withInbox, meters, perMeter);
  console.log(
    `  ${withInbox ? 'inbox before PUBACK' : 'PUBACK on dispatch '}: ${Math.round(r.rate).toLocaleString('en-US').padStart(7)} readings/s, event-loop delay p99 ${r.p99Ms.toFixed(1)} ms (max ${r.maxMs.toFixed(1)}), stored ${r.stored} of ${r.total} published`,
  );
}
await broker?.stop();
rmSync(brokerDir, { recursive: true, force: true });
process.exit(0);
