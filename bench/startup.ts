/**
 * Start-up and stop at scale: the real service (`quietwatt run`, a child process, the sources through
 * tsx, as bench:ingest runs it) on a config of `--meters` JSON meters against a private Mosquitto.
 * Per size it prints:
 *   - start-up: wall time from spawn to the first ready answer (/readyz), resident memory then, and
 *     the event-loop delay (p99 / max) over the 2 s after ready;
 *   - a stop holding readings: a loader publishes `--readings` readings per meter (QoS 1), and
 *     SIGTERM is sent once a quarter of them are committed (the service still holds some unflushed,
 *     and the broker is still sending the rest). It prints the event-loop delay while loading, the
 *     time from SIGTERM to exit, the exit code, the readings committed and the rows left in the
 *     write-ahead inbox;
 *   - a restart on the same store and broker session: start-up and SIGTERM to exit again (the broker
 *     keeps the subscriptions, and redelivers what the stop left unacknowledged);
 *   - stops during start-up: SIGTERM `--sigterm-at` ms after spawn, and the time from it to exit.
 * With `--windows full` every meter's reading window is seeded full in the store first (the service
 * then loads and rewrites a full window per meter that gets a reading).
 *
 *   npm run bench:startup [-- --meters 100000] [-- --readings 1] [-- --windows empty|full]
 *                         [-- --sigterm-at 1000,4000,8000 | --sigterm-at none] [-- --cpu-prof DIR]
 *                         [-- --covering]   (one `mqtt.coveringFilters` wildcard for every meter
 *                                            topic, instead of a subscription per meter)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE_NAME } from '../src/adapters/sqlite/storage.js';
import { freePort } from '../test/helpers/free-port.js';
import { startMosquitto } from './api/broker.js';
import { listArg, stringArg } from './args.js';
import { ownChild } from './children.js';
import { serviceBin, startService } from './ingest/service.js';
import { seedFullWindows } from './ingest/windows.js';

const SIZES = listArg('meters', '100000');
const READINGS = Number(stringArg('readings', '1'));
const FULL_WINDOWS = stringArg('windows', 'empty') === 'full';
const SIGTERM_AT = listArg('sigterm-at', '1000,4000,8000');
/** With --covering, the service subscribes `mqtt.coveringFilters` (one filter for all meters). */
const COVERING = process.argv.includes('--covering');
const CPU_PROF = process.argv.includes('--cpu-prof') ? stringArg('cpu-prof', 'bench-profiles') : undefined;
const MIB = 1024 * 1024;
const STOP_LIMIT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs the loader to its end (bench/ingest/loader.ts), QoS 1. */
function load(url: string, prefix: string, meters: number, perMeter: number): Promise<void> {
  const child = ownChild(
    spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/ingest/loader.ts', url, prefix, String(meters), String(perMeter), '1'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`loader exited ${code}`)))),
  );
}

function storeCounts(storageDir: string): { readings: number; inbox: number } {
  const db = new Database(join(storageDir, DB_FILE_NAME), { readonly: true });
  try {
    return {
      readings: db.prepare('SELECT count(*) FROM readings').pluck().get() as number,
      inbox: db.prepare('SELECT count(*) FROM inbound_inbox').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'qw-bench-startup-'));
const broker = await startMosquitto(dir, await freePort(), { queues: 'large' });
console.log(
  `start-up and stop bench: Mosquitto at ${broker.url}, ${READINGS} reading(s) per meter, windows ${FULL_WINDOWS ? 'full' : 'empty'}, ${COVERING ? 'one covering filter' : 'a subscription per meter'}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
let run = 0;
try {
  for (const meters of SIZES) {
    run++;
    const storageDir = join(dir, `store-${run}`);
    const prefix = `bench/s${run}`;
    if (FULL_WINDOWS) {
      // The loader's readings come after the seeded windows end.
      const endMs = Math.floor(Date.now() / 60_000) * 60_000 - (READINGS + 3) * 60_000;
      seedFullWindows(storageDir, meters, endMs);
    }
    const profDir = CPU_PROF ? join(CPU_PROF, `startup-${meters}`) : undefined;
    if (profDir) mkdirSync(profDir, { recursive: true });
    const options = {
      dir,
      storageDir,
      mqttUrl: broker.url,
      httpPort: await freePort(),
      topicPrefix: prefix,
      meters,
      clientId: `quietwatt-bench-startup-${run}`,
      covering: COVERING,
      ...(profDir ? { cpuProfDir: profDir } : {}),
    };
    const service = await startService(options);
    const readyRss = service.rss().nowBytes;
    await service.scrape(); // resets the event-loop histogram
    await sleep(2_000);
    const idle = await service.scrape();
    console.log(
      `${fmt(meters)} meters: ready in ${s1(service.startupMs)}, RSS ${(readyRss / MIB).toFixed(0)} MiB; event-loop delay in the 2 s after ready p99 ${idle.p99Ms.toFixed(0)} / max ${idle.maxMs.toFixed(0)} ms`,
    );

    // SIGTERM once a quarter of the readings are committed (or the loader is done): the service then
    // holds readings not yet flushed, and the broker a backlog it is still sending.
    const loadStart = performance.now();
    let loaderDone = false;
    const loading = load(broker.url, prefix, meters, READINGS).finally(() => {
      loaderDone = true;
    });
    while (!loaderDone && service.storedReadings() < (meters * READINGS) / 4) await sleep(50);
    const loaded = await service.scrape();
    const heldRss = service.rss().nowBytes;
    const before = service.storedReadings();
    const exitCode = new Promise<number | null>((r) => service.child.once('exit', (code) => r(code)));
    const termAt = performance.now();
    const stopped = service.stop();
    const code = await Promise.race([exitCode, sleep(STOP_LIMIT_MS).then(() => 'timeout' as const)]);
    const stopMs = performance.now() - termAt;
    if (code === 'timeout') service.child.kill('SIGKILL');
    await stopped;
    await loading;
    const after = storeCounts(storageDir);
    console.log(
      `  loading ${fmt(meters * READINGS)} readings, SIGTERM after ${s1(termAt - loadStart)} (event-loop delay p99 ${loaded.p99Ms.toFixed(0)} / max ${loaded.maxMs.toFixed(0)} ms, RSS ${(heldRss / MIB).toFixed(0)} MiB); ${fmt(before)} committed at SIGTERM`,
    );
    console.log(
      `  SIGTERM to exit: ${code === 'timeout' ? `over ${s1(STOP_LIMIT_MS)} (killed)` : `${s1(stopMs)}, exit code ${code}`}; after it ${fmt(after.readings)} readings committed, ${fmt(after.inbox)} left in the inbox`,
    );

    // A restart: the same store, and the broker's session with its subscriptions (and whatever the
    // stop left unacknowledged) kept.
    const again = await startService(options);
    const againRss = again.rss().nowBytes;
    const againExit = new Promise<number | null>((r) => again.child.once('exit', (c) => r(c)));
    const againTerm = performance.now();
    await again.stop();
    const againCode = await againExit;
    const restarted = storeCounts(storageDir);
    console.log(
      `  restarted (same store and broker session): ready in ${s1(again.startupMs)}, RSS ${(againRss / MIB).toFixed(0)} MiB; SIGTERM to exit ${s1(performance.now() - againTerm)}, exit code ${againCode}; ${fmt(restarted.readings)} readings committed, ${fmt(restarted.inbox)} left in the inbox`,
    );

    for (const at of SIGTERM_AT) {
      run++;
      const early = await startEarlyStop(dir, meters, run, at);
      console.log(
        `  SIGTERM ${s1(at)} after spawn: exit ${early.code === 'timeout' ? `not within ${s1(STOP_LIMIT_MS)}` : `code ${early.code} ${s1(early.stopMs)} after the signal`}`,
      );
    }
  }
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
if (CPU_PROF) console.log(`profiles: ${readdirSync(CPU_PROF, { recursive: true }).join(', ')}`);
process.exit(0);

/** Spawns the service on the same kind of config and sends SIGTERM `atMs` after spawn. */
async function startEarlyStop(
  dir: string,
  meters: number,
  n: number,
  atMs: number,
): Promise<{ code: number | null | 'timeout'; stopMs: number }> {
  const storageDir = join(dir, `store-${n}`);
  mkdirSync(storageDir, { recursive: true });
  // The config startService wrote for this size, with a store, client id and HTTP port of its own.
  const text = readFileSync(join(dir, `config-${meters}.yaml`), 'utf8');
  const own = join(dir, `config-early-${n}.yaml`);
  writeFileSync(
    own,
    text
      .replace(/^(\s*dir: ).*$/m, `$1${storageDir}`)
      .replace(/^(\s*clientId: ).*$/m, `$1quietwatt-bench-early-${n}`)
      .replace(/^(\s*port: )\d+$/m, `$1${await freePort()}`),
  );
  const child = ownChild(
    spawn(process.execPath, [serviceBin(), 'run', '--config', own], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LOG_FORMAT: 'json' },
    }),
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await sleep(atMs);
  const t = performance.now();
  child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(STOP_LIMIT_MS).then(() => 'timeout' as const)]);
  const stopMs = performance.now() - t;
  if (code === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  return { code, stopMs };
}
