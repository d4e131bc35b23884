/**
 * The move procedure of docs/scaling.md, step by step, on a real Mosquitto with two running
 * instances: B stops, the site joins B's file and B's broker session reserves its topics; the site
 * leaves A by a reload (A's broker session lets its topics go), A stops, the site is exported from
 * A's store with the old file and imported into B's stopped store, and both start again. B then
 * holds every reading of the site once, those published while it moved included, and A keeps its
 * other site, including what was queued for it while it was down.
 */

import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import type { MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { configCheckInstances } from '../../src/cli/commands/config-check.js';
import { site as siteCommand } from '../../src/cli/commands/site.js';
import { validateConfig } from '../../src/config/parse.js';
import { type RunningService, startService } from '../../src/main.js';
import { waitFor } from '../helpers/mqtt.js';
import { connectRealBrokerOrSkip, REAL_BROKER_URL } from '../helpers/real-broker.js';
import { minimalConfig } from '../unit/config/helpers.js';

const MIN = 60_000;
const run = randomUUID().slice(0, 8);
const prefix = `qwtest/move-${run}`;
const dir = mkdtempSync(join(tmpdir(), 'qw-move-'));
let publisher: MqttClient | undefined;
const running: RunningService[] = [];

beforeAll(async () => {
  publisher = await connectRealBrokerOrSkip(`qwtest-move-pub-${run}`);
});
afterAll(async () => {
  for (const s of running) await s.stop().catch(() => undefined);
  if (publisher) {
    for (const id of ['a', 'b'])
      await publisher.publishAsync(`${prefix}/status/${id}-${run}`, '', { qos: 1, retain: true });
    await publisher.endAsync();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A site whose one meter and sensor have ids and topics of their own. */
function siteRaw(id: string): Record<string, unknown> {
  const site = minimalConfig().sites[0] as {
    id: string;
    spaces: {
      meters: Record<string, unknown>[];
      sensors: Record<string, unknown>[];
      devices: Record<string, unknown>[];
    }[];
  };
  site.id = id;
  for (const space of site.spaces) {
    for (const m of space.meters) Object.assign(m, { id: `${id}-meter`, topic: `${prefix}/meters/${id}` });
    for (const x of space.sensors) Object.assign(x, { id: `${id}-sensor`, topic: `${prefix}/sensors/${id}` });
    for (const d of space.devices) Object.assign(d, { id: `${id}-lights` });
  }
  return site;
}

function writeInstance(name: string, sites: string[]): string {
  const raw = minimalConfig();
  raw.sites = sites.map(siteRaw);
  raw.instance = { id: `${name}-${run}` };
  raw.mqtt = { url: REAL_BROKER_URL, topicPrefix: prefix };
  raw.storage = { dir: join(dir, name) };
  raw.http = { enabled: false };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  return file;
}

/** A pino logger whose JSON lines the test reads. */
function captured() {
  const lines: ({ msg?: string } & Record<string, unknown>)[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function start(file: string, log = captured()) {
  const validated = validateConfig(parse(readFileSync(file, 'utf8')), file);
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
  const service = await startService({
    config: validated.config,
    configFile: file,
    rootLogger: log.logger,
    env: {},
    watchConfig: true,
  });
  running.push(service);
  return { service, log };
}

async function stop(s: RunningService): Promise<void> {
  await s.stop();
  running.splice(running.indexOf(s), 1);
}

function readings(name: string): Record<string, number> {
  const d = new Database(join(dir, name, 'quietwatt.db'), { readonly: true });
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

const t0 = Date.now() - 60 * MIN;
async function publish(site: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const payload = JSON.stringify({ ts: new Date(t0 + i * MIN).toISOString(), energyKWh: 10 + i * 0.5 });
    await (publisher as MqttClient).publishAsync(`${prefix}/meters/${site}`, payload, { qos: 1 });
  }
}

const quiet = { log: () => undefined, error: () => undefined };

describe('moving a site between two running instances', () => {
  it('follows docs/scaling.md: reload, stop, export, import, start', async (ctx) => {
    if (!publisher) ctx.skip();
    const aFile = writeInstance('a', ['court-x', 'court-y']);
    const bFile = writeInstance('b', ['court-z']);
    let a = await start(aFile);
    let b = await start(bFile);
    await publish('court-x', 0, 5);
    await publish('court-y', 0, 5);
    await publish('court-z', 0, 5);
    const expectReadings = (name: string, want: Record<string, number>) =>
      waitFor(
        () => JSON.stringify(readings(name)) === JSON.stringify(want),
        () => `${name}: ${JSON.stringify(readings(name))}, want ${JSON.stringify(want)}`,
        20_000,
      );
    await expectReadings('a', { 'court-x-meter': 5, 'court-y-meter': 5 });
    await expectReadings('b', { 'court-z-meter': 5 });

    // 1. B stops, the site joins B's file (checked beside A's), and B's broker session reserves its
    //    topics; what B's session was queued meanwhile (court-z's reading 5) goes to B's inbox.
    // A reservation is refused while its instance runs (the two connections would share a client id).
    const errors: string[] = [];
    const refused = { log: () => undefined, error: (m: string) => errors.push(m) };
    expect(await siteCommand(['reserve', '--site', 'court-y', '--config', aFile], refused)).toBe(1);
    expect(errors.join('\n')).toContain('says online: stop the instance first');
    await stop(b.service);
    await publish('court-z', 5, 6);
    writeInstance('b', ['court-z', 'court-x']);
    expect(await configCheckInstances([aFile, bFile], quiet)).toBe(1); // both list court-x for now
    expect(await siteCommand(['reserve', '--site', 'court-x', '--config', bFile], quiet)).toBe(0);
    // Both A and B's session take court-x's reading 5.
    await publish('court-x', 5, 6);
    // 2. The site leaves A's file while A runs.
    const before = join(dir, 'a.before-move.yaml');
    copyFileSync(aFile, before);
    writeInstance('a', ['court-y']);
    await waitFor(
      () => a.log.lines.some((l) => l.msg === 'config reloaded'),
      () => 'A reloaded',
      20_000,
    );
    // The reload unsubscribed the site's meter topic at the broker: A's session stops queueing it.
    expect(a.log.lines.find((l) => l.msg === 'ingest reconfigured')).toMatchObject({ added: 0, removed: 1 });
    expect(await configCheckInstances([aFile, bFile], quiet)).toBe(0);
    // 3. A stops; the meters go on publishing (court-x's queue for B only, court-y's for A).
    await publish('court-x', 6, 7);
    await stop(a.service);
    await publish('court-x', 7, 8);
    await publish('court-y', 5, 7);
    // 4. Export with the old file.
    const exportFile = join(dir, 'court-x.site.db');
    expect(
      await siteCommand(['export', '--site', 'court-x', '--out', exportFile, '--config', before], quiet),
    ).toBe(0);
    // 5. The site is imported into B's stopped store; 6. both start.
    expect(await siteCommand(['import', exportFile, '--config', bFile], quiet)).toBe(0);
    b = await start(bFile);
    a = await start(aFile);

    await publish('court-x', 8, 10);
    await publish('court-y', 7, 10);
    await publish('court-z', 6, 10);
    // Every court-x reading is in B once: 5, taken by both, is a duplicate of the imported one.
    await expectReadings('b', { 'court-x-meter': 10, 'court-z-meter': 10 });
    // A keeps its old copy of court-x, and got court-y's readings queued while it was down.
    await expectReadings('a', { 'court-x-meter': 6, 'court-y-meter': 10 });
    // B differences court-x's new readings against the imported meter state: its energy goes on.
    const d = new Database(join(dir, 'b', 'quietwatt.db'), { readonly: true });
    try {
      const rows = d
        .prepare("SELECT energy_kwh FROM readings WHERE meter_id = 'court-x-meter' ORDER BY ts_ms")
        .pluck()
        .all();
      expect(rows).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => 10 + i * 0.5));
    } finally {
      d.close();
    }
  }, 120_000);
});
