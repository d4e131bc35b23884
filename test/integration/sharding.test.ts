/**
 * Three instances on one real Mosquitto (MQTT_URL, else 127.0.0.1:1883), each given its own site:
 * each stores only its own site's readings although all sites publish on the same broker; one
 * restarts while its meter keeps publishing and loses none of its readings; each has its own
 * status topic and last will, so a restart or a kill is announced for that instance alone and the
 * others stay `online` throughout; a command naming one site is carried out and answered by the
 * instance that holds it, and by no other; a command naming no site is answered by every instance
 * online, and the command-line tool waits for each.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { release } from '../../src/cli/commands/release.js';
import { cliEnvelope, sendCommand } from '../../src/cli/commands/send-command.js';
import { validateConfig } from '../../src/config/parse.js';
import { commandResponseTopic, commandTopic } from '../../src/services/control/commands.js';
import { waitFor } from '../helpers/mqtt.js';
import { connectRealBrokerOrSkip, REAL_BROKER_URL } from '../helpers/real-broker.js';
import { minimalConfig } from '../unit/config/helpers.js';

const BROKER_URL = REAL_BROKER_URL;
const MIN = 60_000;
const ROUNDS = 60;

const SECRET_ENV = 'QW_TEST_SHARD_COMMAND_SECRET';
const SECRET = 'shard-test-command-secret';

const run = randomUUID().slice(0, 8);
const prefix = `qwtest/shard-${run}`;
const dir = mkdtempSync(join(tmpdir(), 'qw-shard-'));
let watcher: MqttClient | undefined;
/** Every status message and command response seen, in order. */
const statusLog: { topic: string; payload: string }[] = [];
const latest = (topic: string) => statusLog.filter((m) => m.topic === topic).at(-1)?.payload;
const statusOnly = () => statusLog.filter((m) => m.topic.startsWith(`${prefix}/status`));
const children: ChildProcess[] = [];

beforeAll(async () => {
  watcher = await connectRealBrokerOrSkip(`qwtest-shard-watch-${run}`);
  if (!watcher) return;
  watcher.on('message', (topic, payload) => statusLog.push({ topic, payload: payload.toString() }));
  await watcher.subscribeAsync([`${prefix}/status/#`, `${prefix}/command/response/#`], { qos: 1 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (watcher) {
    // Leave no retained status behind on a shared broker.
    for (const topic of new Set(statusOnly().map((m) => m.topic)))
      await watcher.publishAsync(topic, '', { qos: 1, retain: true });
    await watcher.endAsync();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Instance `name` serving site `court-<name>`, whose meter publishes on its own topic. */
function instanceConfig(name: string) {
  const id = `${name}-${run}`;
  const site = `court-${name}`;
  const raw = minimalConfig();
  const s = raw.sites[0] as {
    id: string;
    spaces: {
      meters: { id: string; topic: string }[];
      sensors: { id: string; topic: string }[];
      devices: { id: string }[];
    }[];
  };
  s.id = site;
  const meterId = `${site}-meter`;
  const meterTopic = `${prefix}/meters/${site}/hall`;
  for (const space of s.spaces) {
    for (const m of space.meters) Object.assign(m, { id: meterId, topic: meterTopic });
    for (const x of space.sensors)
      Object.assign(x, { id: `${site}-sensor`, topic: `${prefix}/sensors/${site}` });
    for (const d of space.devices) d.id = `${site}-lights`;
  }
  raw.instance = { id };
  raw.mqtt = { url: BROKER_URL, topicPrefix: prefix, commands: { enabled: true, secretEnv: SECRET_ENV } };
  raw.storage = { dir: join(dir, name) };
  raw.http = { enabled: false };
  raw.logLevel = 'warn';
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  return {
    file,
    site,
    meterId,
    meterTopic,
    // Each instance publishes from its own register value, so a misplaced reading shows.
    baseKWh: { a: 100, b: 500, c: 900 }[name] ?? 0,
    statusTopic: `${prefix}/status/${id}`,
    db: join(dir, name, 'quietwatt.db'),
  };
}

type Config = ReturnType<typeof instanceConfig>;

function start(config: Config) {
  const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', config.file], {
    env: { ...process.env, LOG_FORMAT: 'json', [SECRET_ENV]: SECRET },
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

describe('three instances on one broker', () => {
  it('each stores only its own site, one restarts without losing a reading, each has its own will and answers only its own commands', async (ctx) => {
    if (!watcher) ctx.skip();
    const publisher = watcher as MqttClient;
    const [a, b, c] = ['a', 'b', 'c'].map(instanceConfig) as [Config, Config, Config];
    const running = new Map([a, b, c].map((x) => [x, start(x)]));
    const allStarted = () => [...running.values()].every((r) => r.started());
    const describeAll = () =>
      `${JSON.stringify(statusLog)}\n${[...running.values()].map((r) => r.output()).join('\n')}`;
    await waitFor(
      () => allStarted() && [a, b, c].every((x) => latest(x.statusTopic) === 'online'),
      () => `all started and online: ${describeAll()}`,
      90_000,
    );
    // The single-instance topic is no one's: no instance announces itself there.
    expect(statusLog.some((m) => m.topic === `${prefix}/status`)).toBe(false);
    const seenStatus = statusOnly().length;

    // Every site's meter publishes on the one broker; C restarts part-way through.
    const t0 = Date.now() - (ROUNDS + 10) * MIN;
    let restarted: Promise<void> | undefined;
    let cDown = false;
    let publishedWhileCDown = 0;
    for (let i = 0; i < ROUNDS; i++) {
      if (cDown && running.get(c)?.started() !== true) publishedWhileCDown++;
      for (const x of [a, b, c]) {
        const payload = JSON.stringify({
          ts: new Date(t0 + i * MIN).toISOString(),
          energyKWh: x.baseKWh + i * 0.25,
        });
        await publisher.publishAsync(x.meterTopic, payload, { qos: 1 });
      }
      if (i === 10) {
        const first = running.get(c)?.child;
        if (!first) throw new Error('c is running');
        first.kill('SIGTERM');
        cDown = true;
        restarted = exited(first).then((code) => {
          expect(code, 'a clean stop').toBe(0);
          running.set(c, start(c));
        });
      }
      await sleep(100);
    }
    await restarted;
    // The restart overlapped the stream: C's broker session queued what came meanwhile.
    expect(publishedWhileCDown).toBeGreaterThan(5);
    await waitFor(allStarted, () => `c started again: ${describeAll()}`, 90_000);
    await waitFor(
      () => [a, b, c].every((x) => readingsByMeter(x.db)[x.meterId] === ROUNDS),
      () =>
        `${ROUNDS} readings each: ${[a, b, c].map((x) => JSON.stringify(readingsByMeter(x.db))).join(', ')}`,
      30_000,
    );
    for (const x of [a, b, c]) {
      const d = new Database(x.db, { readonly: true });
      try {
        // Exactly the own meter's readings, once each, and intervals of the own site only.
        expect(readingsByMeter(x.db)).toEqual({ [x.meterId]: ROUNDS });
        const energies = d.prepare('SELECT energy_kwh FROM readings ORDER BY ts_ms').pluck().all();
        expect(energies).toEqual(Array.from({ length: ROUNDS }, (_, i) => x.baseKWh + i * 0.25));
        expect(d.prepare('SELECT DISTINCT site_id FROM intervals').pluck().all()).toEqual([x.site]);
      } finally {
        d.close();
      }
    }
    // C said offline and online again on its own topic; A and B never left online.
    const during = statusOnly().slice(seenStatus);
    expect(during.filter((m) => m.topic === c.statusTopic).map((m) => m.payload)).toEqual([
      'offline',
      'online',
    ]);
    expect(during.filter((m) => m.topic !== c.statusTopic)).toEqual([]);

    // A dies without a word: the broker publishes A's last will on A's topic only.
    running.get(a)?.child.kill('SIGKILL');
    await waitFor(
      () => latest(a.statusTopic) === 'offline',
      () => `a offline by its will: ${JSON.stringify(statusLog)}`,
      30_000,
    );
    expect([b, c].map((x) => latest(x.statusTopic))).toEqual(['online', 'online']);

    // A command naming B's site reaches B and C; B carries it out and is the only one to answer.
    const bConfig = validateConfig(parse(readFileSync(b.file, 'utf8')), b.file);
    if (!bConfig.ok) throw new Error('b.yaml is valid');
    const command = cliEnvelope('set-mode', { siteId: b.site, spaceId: 'hall' }, Date.now());
    const result = await sendCommand(
      bConfig.config,
      commandTopic(prefix),
      { ...command, mode: 'shadow' },
      {
        [SECRET_ENV]: SECRET,
      },
      20_000,
    );
    expect(result).toMatchObject({ kind: 'answered', response: { status: 'done' } });
    await sleep(1_000); // room for a second answer, had C given one
    const answers = statusLog.filter((m) => m.topic === commandResponseTopic(prefix, command.id));
    expect(answers.map((m) => JSON.parse(m.payload))).toEqual([
      expect.objectContaining({ status: 'done', instance: `b-${run}` }),
    ]);

    // `quietwatt release` names no site: every instance online (B and C; A's will says offline)
    // hands its devices back, and the command waits for both answers and prints each.
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERROR ${l}`) };
    expect(await release(['--config', b.file, '--timeout', '20'], out, { [SECRET_ENV]: SECRET })).toBe(0);
    expect(lines.filter((l) => l.startsWith('release'))).toEqual(
      expect.arrayContaining([`release (instance b-${run}): done`, `release (instance c-${run}): done`]),
    );
    expect(lines.filter((l) => l.startsWith('release') || l.startsWith('ERROR'))).toHaveLength(2);

    // B and C stop cleanly and say so themselves.
    for (const x of [b, c]) {
      const child = running.get(x)?.child;
      if (!child) throw new Error('running');
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    }
    await waitFor(
      () => latest(b.statusTopic) === 'offline' && latest(c.statusTopic) === 'offline',
      () => `b and c offline: ${JSON.stringify(statusLog)}`,
    );
  }, 240_000);
});
