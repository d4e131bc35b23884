// The last step of .ci/deploy-check: runs the built service from a production install (dist/ and
// `npm ci --omit=dev` only) as the given user, and checks readiness, a reading published over MQTT
// reaching the store, and a nightly refit in the fit worker thread, then a clean stop on SIGTERM.
// Usage: node .ci/deploy-replay.mjs APP_DIR WORK_DIR [COMMAND PREFIX...]   (e.g. setpriv ... --)
// The driver uses the repository's mqtt and better-sqlite3; the service only what APP_DIR holds.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';

const [app, work, ...prefix] = process.argv.slice(2);
if (!app || !work) {
  console.error('usage: node .ci/deploy-replay.mjs APP_DIR WORK_DIR [COMMAND PREFIX...]');
  process.exit(2);
}
const METER = 'deploy-check-lobby-total';
const TOPIC = 'meters/deploy-check/lobby/total';
const ENERGY_KWH = 4321.5;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (message) => {
  throw new Error(message);
};

/** Polls `probe` every 500 ms until it returns a truthy value or `seconds` pass. */
async function waitFor(what, seconds, probe) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) fail(`timed out after ${seconds} s waiting for ${what}`);
    if (exited) fail(`the service exited (${exited}) while waiting for ${what}`);
    await sleep(500);
  }
}

const worker = join(app, 'dist/src/adapters/worker');
if (!existsSync(join(worker, 'fit-worker.js'))) fail('dist has no compiled fit worker');
if (existsSync(join(worker, 'fit-worker-boot.mjs'))) fail('dist holds the tsx boot file of the worker');

const [brokerPort, httpPort] = [await freePort(), await freePort()];
const configFile = join(work, 'config/deploy-check.yaml');
// Accelerated time starting 20 simulated minutes before the nightly refit (02:30 in the site's zone):
// the same scheduled job as on a real night, reached in seconds. No simulator: the only reading is ours.
writeFileSync(
  configFile,
  `mqtt: { url: embedded, embeddedPort: ${brokerPort}, clientId: quietwatt-deploy-check }
storage: { dir: ${JSON.stringify(join(work, 'data'))} }
http: { host: 127.0.0.1, port: ${httpPort} }
clock: { source: accelerated, speed: 600, start: '2026-11-20T02:10:00+08:00' }
forecast: { retrainAt: '02:30' }
simulator: { enabled: false }
sites:
  - id: deploy-check
    name: Deploy check
    timezone: Asia/Shanghai
    spaces:
      - id: lobby
        type: lobby
        areaM2: 80
        meters:
          - { id: ${METER}, topic: ${TOPIC}, measures: total }
`,
);

const lines = [];
let exited;
const command = [
  ...prefix,
  process.execPath,
  join(app, 'dist/src/cli/bin.js'),
  'run',
  '--config',
  configFile,
];
// A clean environment, as under systemd or in the image: nothing like NODE_OPTIONS=--import tsx leaks in.
const child = spawn(command[0], command.slice(1), {
  cwd: join(work, 'data'),
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let buffered = '';
child.stdout.on('data', (chunk) => {
  buffered += chunk;
  const parts = buffered.split('\n');
  buffered = parts.pop() ?? '';
  lines.push(...parts);
});
child.stderr.on('data', (chunk) => process.stderr.write(chunk));
child.on('exit', (code, signal) => {
  exited = signal ?? `code ${code}`;
});

const logged = () =>
  lines.flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });

try {
  const started = Date.now();
  const ready = await waitFor('/readyz to answer 200', 90, async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      return res.ok ? await res.json() : undefined;
    } catch {
      return undefined;
    }
  });
  say(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(ready)}`);

  // The dashboard's static files are read from dist/ at run time: the build must have copied them.
  for (const path of ['/', '/web/app.css', '/web/js/main.js', '/vendor/uplot/uPlot.iife.min.js']) {
    const res = await fetch(`http://127.0.0.1:${httpPort}${path}`);
    if (!res.ok) fail(`GET ${path} answered ${res.status}`);
  }
  say('dashboard files served from dist/');

  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${brokerPort}`, {
    clientId: 'deploy-check-meter',
  });
  await client.publishAsync(TOPIC, JSON.stringify({ energyKWh: ENERGY_KWH }), { qos: 1 });
  await client.endAsync();
  say(`published {"energyKWh": ${ENERGY_KWH}} on ${TOPIC}`);

  const dbFile = join(work, 'data/quietwatt.db');
  const query = (sql) => {
    if (!existsSync(dbFile)) return undefined;
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get();
    } finally {
      db.close();
    }
  };
  const stored = await waitFor('the reading in the store', 60, () =>
    query(
      `SELECT meter_id, ts_ms, energy_kwh FROM readings WHERE meter_id = '${METER}' AND energy_kwh = ${ENERGY_KWH}`,
    ),
  );
  say(`stored: ${JSON.stringify(stored)}`);

  // The first fit at start saves version 1 of the model; version 2 can only come from the nightly job.
  const refit = await waitFor('the nightly refit (model version 2)', 180, () =>
    query(
      "SELECT space_id, end_use, version, created_at_ms FROM model_registry WHERE model_kind = 'forecast' AND version >= 2 ORDER BY version DESC LIMIT 1",
    ),
  );
  say(
    `nightly refit saved: ${JSON.stringify({ ...refit, createdAt: new Date(refit.created_at_ms).toISOString() })}`,
  );
  const entries = logged();
  if (entries.length === 0 || entries.length < lines.length / 2) fail('the service did not log JSON lines');
  const fits = entries.filter((e) => e.msg === 'forecast models fitted');
  if (fits.length < 2) fail(`expected a start-up fit and a nightly refit in the log, saw ${fits.length}`);
  const workerErrors = entries.filter((e) => e.component === 'fit-worker' && e.level >= 50);
  if (workerErrors.length > 0) fail(`the fit worker failed: ${JSON.stringify(workerErrors[0])}`);
  say(`log: ${fits.length} 'forecast models fitted' lines, no fit worker error`);

  child.kill('SIGTERM');
  const deadline = Date.now() + 30_000;
  while (exited === undefined && Date.now() < deadline) await sleep(200);
  if (exited === undefined) fail('the service did not stop within 30 s of SIGTERM');
} catch (error) {
  console.error(`deploy replay failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error('last log lines:');
  for (const l of lines.slice(-30)) console.error(`  ${l.slice(0, 400)}`);
  if (!exited) child.kill('SIGKILL');
  process.exit(1);
}
if (exited !== 'code 0') {
  console.error(`the service ended with ${exited} after SIGTERM`);
  process.exit(1);
}
if (!logged().some((e) => e.msg === 'stopped cleanly')) {
  console.error('no "stopped cleanly" line after SIGTERM');
  process.exit(1);
}
say('stopped cleanly on SIGTERM (exit 0)');
