import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { openSqliteStorage, type SqliteStorage } from '../../src/adapters/sqlite/index.js';
import { SiteConfig } from '../../src/config/schema/site.js';
import { IngestService, UNKNOWN_METER } from '../../src/services/ingest/ingest-service.js';
import type { IngestStats } from '../../src/services/ingest/ingest-stats.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { IdleScheduler } from '../helpers/idle-scheduler.js';
import { captureLogger } from '../helpers/logger.js';

const MIN = 60_000;
const ALL = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-ingest-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Rig {
  readonly prefix: string;
  readonly service: IngestService;
  readonly storage: SqliteStorage;
  readonly publisher: MqttClient;
  readonly bus: MqttBus;
  readonly log: ReturnType<typeof captureLogger>;
  publish(topic: string, payload: string, retain?: boolean): Promise<void>;
  /** Waits until `done(stats)` holds. */
  until(done: (stats: IngestStats) => boolean): Promise<IngestStats>;
  close(): Promise<void>;
}

async function rig(
  label: string,
  meters: (prefix: string) => Record<string, unknown>[],
  reuse?: { dbName: string; prefix: string },
): Promise<Rig> {
  const fresh = broker.unique(label);
  const clientId = fresh.clientId;
  const prefix = reuse?.prefix ?? fresh.prefix;
  const dbName = reuse?.dbName ?? label;
  const log = captureLogger();
  const clock = new SystemClock();
  const storage = openSqliteStorage(join(dir, dbName), log);
  const sites = [
    SiteConfig.parse({
      id: 'site',
      name: 'Test site',
      timezone: 'Asia/Shanghai',
      spaces: [{ id: 'lobby', type: 'lobby', areaM2: 100, meters: meters(prefix) }],
    }),
  ];
  const bus = new MqttBus(
    {
      url: broker.url,
      clientId: `${clientId}-svc`,
      protocolVersion: 4,
      persistentSession: false,
      sessionExpirySeconds: 0,
    },
    clock,
    log,
  );
  await bus.start();
  const service = new IngestService({
    bus,
    clock,
    log,
    scheduler: new IdleScheduler(),
    readings: storage.stores.readings,
    intervals: storage.stores.intervals,
    meterState: storage.stores.meterState,
    rejections: storage.stores.rejections,
    config: { sites, rawRetentionDays: 35 },
    maxPayloadBytes: 256,
    watchTopicFilters: [`${prefix}/tele/+/SENSOR`],
  });
  await service.start();
  const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub`, clean: true });
  return {
    prefix,
    service,
    storage,
    publisher,
    bus,
    log,
    publish: async (topic, payload, retain = false) => {
      await publisher.publishAsync(topic, payload, { qos: 1, retain });
    },
    until: (done) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const stats = service.stats();
          if (done(stats)) {
            clearInterval(poll);
            resolve(stats);
          } else if (Date.now() - started > 8000) {
            clearInterval(poll);
            reject(new Error(`timed out waiting for ingest: ${JSON.stringify(stats.meters)}`));
          }
        }, 20);
      }),
    close: async () => {
      await service.stop();
      await publisher.endAsync();
      await bus.stop();
      await storage.component.stop();
    },
  };
}

/** Everything a meter saw: accepted, rejected, duplicates and skipped. */
function seen(stats: IngestStats, meterId: string): number {
  const m = stats.meters[meterId];
  if (!m) return 0;
  const rejected = Object.values(m.rejected).reduce((s, n) => s + (n ?? 0), 0);
  return m.accepted + rejected + m.duplicates + m.retainedSkipped;
}

const sum = (rows: { energyKWh: number | null }[]) => rows.reduce((s, r) => s + (r.energyKWh ?? 0), 0);

describe('ingest over a real broker and SQLite', () => {
  it('reads every payload format into interval energy', async () => {
    const r = await rig('formats', (p) => [
      { id: 'json', topic: `${p}/json`, measures: 'total', format: 'json' },
      { id: 'num', topic: `${p}/num`, measures: 'plug', format: 'number', value: 'power' },
      { id: 'tas', topic: `${p}/tele/tas/SENSOR`, measures: 'lighting', format: 'tasmota' },
      { id: 'shelly', topic: `${p}/shelly/status/switch:0`, measures: 'plug', format: 'shelly-gen2' },
      { id: 'z2m', topic: `${p}/zigbee2mqtt/fan`, measures: 'hvac', format: 'zigbee2mqtt' },
    ]);
    try {
      const base = Math.floor(Date.now() / MIN) * MIN - 60 * MIN;
      for (let i = 0; i <= 4; i++) {
        const ts = base + i * 10 * MIN;
        const local = new Date(ts + 8 * 3_600_000).toISOString().slice(0, 19); // Asia/Shanghai, no offset
        await r.publish(
          `${r.prefix}/json`,
          JSON.stringify({ ts: new Date(ts).toISOString(), energyKWh: 10 + i }),
        );
        await r.publish(
          `${r.prefix}/tele/tas/SENSOR`,
          JSON.stringify({ Time: local, ENERGY: { Total: 5 + i * 0.5, Power: 3000 } }),
        );
        await r.publish(
          `${r.prefix}/shelly/status/switch:0`,
          JSON.stringify({ apower: 600, aenergy: { total: 2000 + i * 100, minute_ts: ts / 1000 } }),
        );
        await r.publish(
          `${r.prefix}/zigbee2mqtt/fan`,
          JSON.stringify({ energy: 1 + i * 0.25, power: 1500, last_seen: ts }),
        );
      }
      await r.publish(`${r.prefix}/num`, '250');
      const stats = await r.until((s) =>
        ['json', 'tas', 'shelly', 'z2m', 'num'].every((id) => seen(s, id) >= (id === 'num' ? 1 : 5)),
      );
      for (const id of ['json', 'tas', 'shelly', 'z2m'])
        expect(stats.meters[id], id).toMatchObject({ accepted: 5, rejected: {} });
      expect(stats.meters.num).toMatchObject({ accepted: 1, rejected: {} });
      await r.service.stop();
      const energy = (meterId: string) =>
        sum(r.storage.stores.intervals.intervalsFor({ meterId, minutes: 15, ...ALL }));
      expect(energy('json')).toBeCloseTo(4, 9);
      expect(energy('tas')).toBeCloseTo(2, 9);
      expect(energy('shelly')).toBeCloseTo(0.4, 9);
      expect(energy('z2m')).toBeCloseTo(1, 9);
      expect(r.storage.stores.readings.countReadings('num')).toBe(1);
      const hourly = r.storage.stores.intervals.intervalsFor({
        spaceId: 'lobby',
        endUse: 'plug',
        minutes: 60,
        ...ALL,
      });
      expect(hourly.every((row) => row.meterId === 'shelly')).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('handles counter resets, duplicates and out-of-order messages; state survives a restart', async () => {
    const meters = (p: string) => [{ id: 'reg', topic: `${p}/reg`, measures: 'total', format: 'json' }];
    const r = await rig('register', meters);
    const base = Math.floor(Date.now() / MIN) * MIN - 120 * MIN;
    const msg = (minute: number, energyKWh: number) => JSON.stringify({ ts: base + minute * MIN, energyKWh });
    try {
      // True register: 100 @0, 101 @10, 102 @20, reset -> 0.5 @30, 1.5 @40. Rise less resets: 2 + 0.5 + 1 = 3.5.
      await r.publish(`${r.prefix}/reg`, msg(0, 100));
      await r.publish(`${r.prefix}/reg`, msg(20, 102));
      await r.publish(`${r.prefix}/reg`, msg(10, 101)); // out of order
      await r.publish(`${r.prefix}/reg`, msg(20, 102)); // duplicate
      await r.publish(`${r.prefix}/reg`, msg(40, 1.5));
      await r.publish(`${r.prefix}/reg`, msg(30, 0.5)); // out of order, after the reset
      await r.publish(`${r.prefix}/reg`, msg(30, 0.5), true); // duplicate, retained for the restart below
      const stats = await r.until((s) => seen(s, 'reg') >= 7);
      expect(stats.meters.reg).toMatchObject({
        accepted: 5,
        duplicates: 2,
        late: 2,
        resets: 1,
        rejected: {},
      });
      await r.service.stop();
      const rows = r.storage.stores.intervals.intervalsFor({ meterId: 'reg', minutes: 15, ...ALL });
      expect(sum(rows)).toBeCloseTo(3.5, 9);
    } finally {
      await r.close();
    }
    // Restart over the same database and topic: the retained reading is replayed on subscribe and is
    // recognised as a duplicate from the stored meter state; the next reading continues the register.
    const again = await rig('register', meters, { dbName: 'register', prefix: r.prefix });
    try {
      const replayed = await again.until((s) => seen(s, 'reg') >= 1);
      expect(replayed.meters.reg).toMatchObject({ accepted: 0, duplicates: 1 });
      await again.publish(`${again.prefix}/reg`, msg(50, 2));
      const stats = await again.until((s) => seen(s, 'reg') >= 2);
      expect(stats.meters.reg).toMatchObject({ accepted: 1, duplicates: 1, resets: 0 });
      await again.service.stop();
      const rows = again.storage.stores.intervals.intervalsFor({ meterId: 'reg', minutes: 60, ...ALL });
      expect(sum(rows)).toBeCloseTo(4, 9);
      // Clear the retained message so a shared broker keeps nothing from this test.
      await again.publish(`${again.prefix}/reg`, '', true);
    } finally {
      await again.close();
    }
  });

  it('rejects every bad-input class, counts it per meter and reason, and keeps ingesting', async () => {
    const r = await rig('bad', (p) => [
      { id: 'bad', topic: `${p}/bad`, measures: 'total', format: 'json', maxPowerW: 10_000 },
      { id: 'good', topic: `${p}/good`, measures: 'lighting', format: 'number' },
    ]);
    try {
      const now = Date.now();
      const t = `${r.prefix}/bad`;
      await r.publish(t, JSON.stringify({ ts: now - 10 * MIN, energyKWh: 100 }));
      await r.publish(t, '{"energyKWh": 1');
      await r.publish(t, '{"energyKWh":"12"}');
      await r.publish(t, '{"energyKWh":"NaN"}');
      await r.publish(t, '{"powerW":"Infinity"}');
      await r.publish(t, '{"energyKWh":-5}');
      await r.publish(t, JSON.stringify({ ts: now - 5 * MIN, energyKWh: 5_000 }));
      await r.publish(t, '{"powerW":20000}');
      await r.publish(t, JSON.stringify({ ts: now + 3_600_000, energyKWh: 101 }));
      await r.publish(t, JSON.stringify({ ts: now - 30 * 86_400_000, energyKWh: 101 }));
      await r.publish(t, JSON.stringify({ energyKWh: 101, pad: 'x'.repeat(300) }));
      await r.publish(t, JSON.stringify({ ts: now - 10 * MIN, energyKWh: 99 }));
      await r.publish(`${r.prefix}/tele/stranger/SENSOR`, '{"ENERGY":{"Total":1}}');
      await r.publish(`${r.prefix}/good`, '42.5');
      const stats = await r.until(
        (s) => seen(s, 'bad') >= 12 && seen(s, 'good') >= 1 && Object.keys(s.unknownTopics).length > 0,
      );
      expect(stats.meters.bad?.rejected).toEqual({
        'malformed-json': 1,
        'wrong-type': 1,
        'non-finite': 2,
        negative: 1,
        'absurd-jump': 2,
        'future-timestamp': 1,
        'stale-timestamp': 1,
        oversize: 1,
        'conflicting-duplicate': 1,
      });
      expect(stats.meters.bad?.accepted).toBe(1);
      expect(stats.meters.good).toMatchObject({ accepted: 1, rejected: {} });
      expect(stats.unknownTopics).toEqual({ [`${r.prefix}/tele/stranger/SENSOR`]: 1 });
      r.service.flush();
      const counts = r.storage.stores.rejections.counts();
      expect(counts).toContainEqual({ meterId: 'bad', reason: 'absurd-jump', count: 2 });
      expect(counts).toContainEqual({ meterId: UNKNOWN_METER, reason: 'unknown-topic', count: 1 });
      const lines = r.log.lines.filter((l) => l.level === 'warn' && 'reason' in l.obj);
      expect(lines.length).toBeGreaterThanOrEqual(11);
      for (const line of lines) expect(line.msg).toContain(r.prefix);
    } finally {
      await r.close();
    }
  });
});
