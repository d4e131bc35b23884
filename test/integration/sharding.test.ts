/**
 * Two instances on one real Mosquitto (MQTT_URL, else 127.0.0.1:1883), each given its own site:
 * each stores only its own site's readings although both sites publish on the same broker, and
 * each has its own client id, status topic and last will: when one is killed the broker says
 * `offline` for it alone, and the other stays `online`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { waitFor } from '../helpers/mqtt.js';
import { minimalConfig } from '../unit/config/helpers.js';

const BROKER_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const MIN = 60_000;

/** A client of the test's own on the real broker, or undefined when none answers (a skip, never in CI). */
async function connectOrSkip(clientId: string): Promise<MqttClient | undefined> {
  try {
    return await mqtt.connectAsync(BROKER_URL, {
      clientId,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 3_000,
    });
  } catch (error) {
    if (process.env.CI === 'true')
      throw new Error(`CI=true but no broker answers at ${BROKER_URL}: ${String(error)}`);
    return undefined;
  }
}

const run = randomUUID().slice(0, 8);
const prefix = `qwtest/shard-${run}`;
const dir = mkdtempSync(join(tmpdir(), 'qw-shard-'));
let watcher: MqttClient | undefined;
const status = new Map<string, string>();
const children: ChildProcess[] = [];

beforeAll(async () => {
  watcher = await connectOrSkip(`qwtest-shard-watch-${run}`);
  if (!watcher) return;
  watcher.on('message', (topic, payload) => status.set(topic, payload.toString()));
  await watcher.subscribeAsync(`${prefix}/status/#`, { qos: 1 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (watcher) {
    // Leave no retained status behind on a shared broker.
    for (const topic of status.keys()) await watcher.publishAsync(topic, '', { qos: 1, retain: true });
    await watcher.endAsync();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Instance `name` serving site `court-<name>`, whose one meter publishes on its own topic. */
function instanceConfig(name: string) {
  const id = `${name}-${run}`;
  const site = `court-${name}`;
  const raw = minimalConfig();
  const s = raw.sites[0] as {
    id: string;
    spaces: { meters: { topic: string }[]; sensors: { topic: string }[] }[];
  };
  s.id = site;
  const meterTopic = `${prefix}/meters/${site}/hall`;
  for (const space of s.spaces) {
    for (const m of space.meters) m.topic = meterTopic;
    for (const x of space.sensors) x.topic = `${prefix}/sensors/${site}/hall`;
  }
  raw.instance = { id };
  raw.mqtt = { url: BROKER_URL, topicPrefix: prefix };
  raw.storage = { dir: join(dir, name) };
  raw.http = { enabled: false };
  raw.logLevel = 'warn';
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  return {
    file,
    site,
    meterTopic,
    statusTopic: `${prefix}/status/${id}`,
    db: join(dir, name, 'quietwatt.db'),
  };
}

function start(config: ReturnType<typeof instanceConfig>) {
  const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', config.file], {
    env: { ...process.env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return {
    ...config,
    child,
    output: () => output.split('\n').slice(-15).join('\n'),
    // The banner comes once every service has started, its subscriptions made.
    started: () => output.includes('Press Ctrl-C to stop.'),
  };
}

/** Rows per meter in an instance's store (read-only, beside the running service). */
function readingsByMeter(db: string): Record<string, number> {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const rows = d.prepare('SELECT meter_id, count(*) AS n FROM readings GROUP BY meter_id').all() as {
      meter_id: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.meter_id, r.n]));
  } finally {
    d.close();
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('two instances on one broker', () => {
  it('store only their own sites and each has its own status topic and last will', async (ctx) => {
    if (!watcher) ctx.skip();
    const publisher = watcher as MqttClient;
    const a = start(instanceConfig('a'));
    const b = start(instanceConfig('b'));
    await waitFor(
      () =>
        a.started() &&
        b.started() &&
        status.get(a.statusTopic) === 'online' &&
        status.get(b.statusTopic) === 'online',
      () => `both started and online: ${JSON.stringify([...status])}\n${a.output()}\n${b.output()}`,
      60_000,
    );
    // The single-instance topic is no one's: neither instance announces itself there.
    expect(status.has(`${prefix}/status`)).toBe(false);

    // Both sites' meters publish on the same broker; each instance must take only its own.
    const t0 = Date.now() - 10 * MIN;
    for (let i = 0; i < 5; i++) {
      for (const x of [a, b]) {
        const energyKWh = (x === a ? 100 : 500) + i * 0.25;
        await publisher.publishAsync(
          x.meterTopic,
          JSON.stringify({ ts: new Date(t0 + i * MIN).toISOString(), energyKWh }),
          {
            qos: 1,
          },
        );
      }
    }
    await waitFor(
      () => readingsByMeter(a.db)['hall-lighting'] === 5 && readingsByMeter(b.db)['hall-lighting'] === 5,
      () =>
        `5 readings each: a ${JSON.stringify(readingsByMeter(a.db))}, b ${JSON.stringify(readingsByMeter(b.db))}`,
      30_000,
    );
    for (const x of [a, b]) {
      const d = new Database(x.db, { readonly: true });
      try {
        const energies = d
          .prepare('SELECT energy_kwh FROM readings ORDER BY ts_ms')
          .pluck()
          .all() as number[];
        // Each store holds its own meter's register only (a publishes from 100, b from 500).
        expect(energies).toEqual([0, 1, 2, 3, 4].map((i) => (x === a ? 100 : 500) + i * 0.25));
        const sites = d.prepare('SELECT DISTINCT site_id FROM intervals').pluck().all();
        expect(sites.every((s) => s === x.site)).toBe(true);
      } finally {
        d.close();
      }
    }

    // A dies without a word: the broker publishes A's last will on A's topic only.
    a.child.kill('SIGKILL');
    await exited(a.child);
    await waitFor(
      () => status.get(a.statusTopic) === 'offline',
      () => `a offline by its will: ${JSON.stringify([...status])}`,
      30_000,
    );
    expect(status.get(b.statusTopic)).toBe('online');

    // B stops cleanly and says so itself.
    b.child.kill('SIGTERM');
    expect(await exited(b.child)).toBe(0);
    await waitFor(
      () => status.get(b.statusTopic) === 'offline',
      () => `b offline: ${JSON.stringify([...status])}`,
    );
  }, 120_000);
});
