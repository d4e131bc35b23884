/**
 * API bench: a store holding a year of hourly savings ledger and setpoint audit rows for 200 spaces,
 * the real service running on it (a child process, as in production) against a private Mosquitto
 * (the broker's own work is not the service's), a loader process publishing
 * 1,000 meter readings a second beside it, and a client asking for random monthly summaries and audit
 * pages from a cold start. Prints the latency of each route (p50, p95, p99), the service's event-loop
 * delay, whether ingest kept the loader's rate, and what the dashboard's first load transfers.
 *
 *   npm run bench:api [-- --spaces 200 --seconds 60 --requests-per-second 20 --audit-every-minutes 30]
 *                     [-- --store DIR]   (seed into DIR once and keep it; a later run with the same DIR reuses it)
 *                     [-- --cold]        (Linux, as root: empty the page cache before the service starts, so
 *                                         the first requests read the store from disk)
 *
 * Goals (issue: monthly summary and audit page p95 < 50 ms, event-loop delay p99 < 50 ms, ingest keeps
 * its rate, first load < 1 MB compressed).
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { SqliteReadingStore } from '../src/adapters/sqlite/reading-store.js';
import { DB_FILE_NAME } from '../src/adapters/sqlite/storage.js';
import { freePort } from '../test/helpers/free-port.js';
import { type BenchBroker, startMosquitto } from './api/broker.js';
import { measureFirstLoad } from './api/first-load.js';
import { benchConfig, METERS_PER_SPACE, SITE_ID, seedStore, spaceIdOf } from './api/seed.js';
import { ms, summarize } from './api/stats.js';
import { numberArg } from './args.js';
import { ownChild } from './children.js';

const SPACES = numberArg('spaces', 200);
const SECONDS = numberArg('seconds', 60);
const REQUESTS_PER_S = numberArg('requests-per-second', 20);
const AUDIT_EVERY_MINUTES = numberArg('audit-every-minutes', 30);
const METERS = SPACES * METERS_PER_SPACE;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));

async function waitReady(base: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`service exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`service not ready within ${timeoutMs} ms`);
}

function tokenOf(tokensFile: string, role: 'viewer' | 'operator'): string {
  const text = readFileSync(tokensFile, 'utf8');
  const match = text
    .split('\n')
    .find((l) => l.includes(`demo-${role}`))
    ?.match(/qw_[A-Za-z0-9_-]+/);
  if (!match) throw new Error(`no demo-${role} token in ${tokensFile}`);
  return match[0];
}

/** The service's event-loop delay quantiles as it exports them, seconds. */
async function eventLoopDelay(base: string, token: string): Promise<Record<string, number>> {
  const text = await (
    await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })
  ).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^quietwatt_event_loop_delay_seconds\{quantile="([^"]+)"\}\s+(\S+)/);
    if (m?.[1] && m[2]) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** The rows of a store seeded by an earlier run. */
function storedCounts(storageDir: string): { ledgerRows: number; auditRows: number; seconds: number } {
  const db = new Database(join(storageDir, DB_FILE_NAME), { readonly: true });
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const counts = { ledgerRows: count('savings_ledger'), auditRows: count('setpoint_audit'), seconds: 0 };
  db.close();
  return counts;
}

const dir = mkdtempSync(join(tmpdir(), 'qw-bench-api-'));
const keptStore = process.argv.includes('--store')
  ? process.argv[process.argv.indexOf('--store') + 1]
  : undefined;
const storageDir = keptStore ?? join(dir, 'store');
let service: ChildProcess | undefined;
let broker: BenchBroker | undefined;
try {
  const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  process.stdout.write(`seeding ${SPACES} spaces, one year before ${new Date(endMs).toISOString()} ... `);
  const seeded = existsSync(join(storageDir, DB_FILE_NAME))
    ? storedCounts(storageDir)
    : seedStore({ storageDir, spaces: SPACES, endMs, auditEveryMinutes: AUDIT_EVERY_MINUTES });
  console.log(
    `${seeded.ledgerRows.toLocaleString('en-US')} ledger rows, ${seeded.auditRows.toLocaleString('en-US')} audit rows in ${seeded.seconds.toFixed(0)} s`,
  );

  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const topicPrefix = 'bench/meters';
  const configFile = join(dir, 'config.yaml');
  broker = await startMosquitto(dir, mqttPort);
  writeFileSync(
    configFile,
    stringify(benchConfig({ spaces: SPACES, storageDir, mqttUrl: broker.url, httpPort, topicPrefix })),
  );
  const base = `http://127.0.0.1:${httpPort}`;
  if (process.argv.includes('--cold')) {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    console.log('page cache emptied: the service starts cold');
  }
  service = ownChild(
    spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', configFile], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LOG_FORMAT: 'json' },
    }),
  );
  const startupMs = await waitReady(base, service, 60_000);
  const viewer = tokenOf(join(storageDir, 'tokens.txt'), 'viewer');
  const auth = { authorization: `Bearer ${viewer}` };
  console.log(`service ready in ${(startupMs / 1000).toFixed(1)} s (${METERS} meters configured)`);

  await eventLoopDelay(base, viewer); // a scrape resets the service's histogram: measure from here
  const readings = new SqliteReadingStore(new Database(join(storageDir, DB_FILE_NAME), { readonly: true }));
  const storedBefore = readings.countReadings();
  const loader = ownChild(
    spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/api/loader.ts', broker.url, topicPrefix, String(METERS), String(SECONDS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  let loaderOut = '';
  loader.stdout?.on('data', (d: Buffer) => {
    loaderOut += d.toString();
  });
  const loaderDone = new Promise<void>((r) => loader.once('exit', () => r()));

  // Requests at a steady pace, alternating the two routes; the first ones meet a cold service.
  const monthly: number[] = [];
  const audit: number[] = [];
  const failures: string[] = [];
  let running = true;
  void loaderDone.then(() => {
    running = false;
  });
  const pick = (n: number) => Math.floor(Math.random() * n);
  const zoneOffsetMs = 8 * HOUR_MS; // Asia/Shanghai has no DST
  let i = 0;
  while (running) {
    const dueMs = performance.now() + 1000 / REQUESTS_PER_S;
    let url: string;
    const samples = i++ % 2 === 0 ? monthly : audit;
    if (samples === monthly) {
      const month = new Date(endMs - pick(11) * 31 * DAY_MS);
      const from = `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}-01`;
      const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
      const to = next.toISOString().slice(0, 10);
      const space = pick(4) === 0 ? '' : `&space=${spaceIdOf(pick(SPACES))}`;
      url = `${base}/api/v1/savings?site=${SITE_ID}${space}&from=${from}&to=${to}&granularity=month`;
    } else {
      const startMs = endMs - (1 + pick(360)) * DAY_MS - zoneOffsetMs;
      const from = new Date(startMs).toISOString();
      const to = new Date(startMs + (1 + pick(7)) * DAY_MS).toISOString();
      url = `${base}/api/v1/audit?site=${SITE_ID}&space=${spaceIdOf(pick(SPACES))}&from=${from}&to=${to}&limit=100`;
    }
    const t0 = performance.now();
    const r = await fetch(url, { headers: auth });
    await r.arrayBuffer();
    samples.push(performance.now() - t0);
    if (!r.ok) failures.push(`${r.status} ${url}`);
    const waitMs = dueMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
  }
  await loaderDone;
  const loop = await eventLoopDelay(base, viewer);
  const loaded = JSON.parse(loaderOut.trim()) as {
    published: number;
    elapsedS: number;
    ratePerS: number;
    lateSlices: number;
  };
  const storedAtEnd = readings.countReadings() - storedBefore;
  await sleep(5_000); // the last flush
  const storedAfterFlush = readings.countReadings() - storedBefore;
  const firstLoad = await measureFirstLoad(base, viewer);

  const m = summarize(monthly);
  const a = summarize(audit);
  const p99LoopMs = (loop['0.99'] ?? Number.NaN) * 1000;
  const storedRate = storedAtEnd / loaded.elapsedS;
  console.log(
    `\nAPI bench: ${SPACES} spaces, ${METERS} meters, ${seeded.ledgerRows.toLocaleString('en-US')} ledger rows, ${seeded.auditRows.toLocaleString('en-US')} audit rows`,
  );
  console.log(`  route                 requests      p50        p95        p99        max`);
  for (const [name, s] of [
    ['monthly summary', m],
    ['audit page (100)', a],
  ] as const)
    console.log(
      `  ${name.padEnd(20)} ${String(s.count).padStart(8)}  ${ms(s.p50Ms)}  ${ms(s.p95Ms)}  ${ms(s.p99Ms)}  ${ms(s.maxMs)}`,
    );
  console.log(`  failed requests: ${failures.length}${failures.length ? ` (first: ${failures[0]})` : ''}`);
  console.log(
    `  event-loop delay (service, while loaded): p50 ${((loop['0.5'] ?? Number.NaN) * 1000).toFixed(1)} ms, p99 ${p99LoopMs.toFixed(1)} ms, max ${((loop.max ?? Number.NaN) * 1000).toFixed(1)} ms`,
  );
  console.log(
    `  ingest: loader published ${loaded.published.toLocaleString('en-US')} readings in ${loaded.elapsedS.toFixed(1)} s (${loaded.ratePerS.toFixed(0)}/s, ${loaded.lateSlices} late slices)`,
  );
  console.log(
    `          stored ${storedAtEnd.toLocaleString('en-US')} by the loader's end (${storedRate.toFixed(0)}/s, ratio ${(storedRate / loaded.ratePerS).toFixed(3)}), ${storedAfterFlush.toLocaleString('en-US')} after the last flush (lost ${loaded.published - storedAfterFlush})`,
  );
  console.log(
    `  dashboard first load: ${firstLoad.requests} requests, ${(firstLoad.transferredBytes / 1024).toFixed(0)} KiB transferred (${(firstLoad.decodedBytes / 1024).toFixed(0)} KiB decoded), ${firstLoad.loadMs.toFixed(0)} ms`,
  );
  const goals = [
    ['monthly summary p95 < 50 ms', m.p95Ms < 50],
    ['audit page p95 < 50 ms', a.p95Ms < 50],
    ['event-loop delay p99 < 50 ms', p99LoopMs < 50],
    [
      'ingest keeps the rate (stored >= 95 % by the end, none lost)',
      storedRate >= 0.95 * loaded.ratePerS && storedAfterFlush === loaded.published,
    ],
    ['first load < 1 MB compressed', firstLoad.transferredBytes < 1_000_000],
    ['no failed request', failures.length === 0],
  ] as const;
  for (const [goal, ok] of goals) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${goal}`);
} finally {
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    await new Promise((r) => service?.once('exit', r));
  }
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
}
