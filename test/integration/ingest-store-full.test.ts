import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { CronScheduler } from '../../src/adapters/scheduler/cron-scheduler.js';
import { openSqliteStorage } from '../../src/adapters/sqlite/index.js';
import type { AlertRaise } from '../../src/domain/alerts/alert.js';
import { IngestService } from '../../src/services/ingest/ingest-service.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { lobbySite } from '../helpers/lobby-site.js';
import { captureLogger } from '../helpers/logger.js';
import { waitFor } from '../helpers/mqtt.js';

const MIN = 60_000;
const ALL = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };
const METERS = ['a', 'b', 'c'];

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-ingest-full-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest when the SQLite file cannot grow', () => {
  it('holds what it has while SQLite reports SQLITE_FULL and stores it all exactly once after', async () => {
    const { prefix, clientId } = broker.unique('full');
    const log = captureLogger();
    const clock = new SystemClock();
    const storage = openSqliteStorage(join(dir, 'full'), log);
    const db = storage.database.db;
    const bus = new MqttBus(
      { url: broker.url, clientId, protocolVersion: 4, persistentSession: false, sessionExpirySeconds: 0 },
      clock,
      log,
    );
    const scheduler = new CronScheduler(log);
    const raised: AlertRaise[] = [];
    const cleared: string[] = [];
    const sites = [lobbySite(METERS.map((id) => ({ id, topic: `${prefix}/${id}` })))];
    const service = new IngestService({
      bus,
      clock,
      log,
      scheduler,
      readings: storage.stores.readings,
      intervals: storage.stores.intervals,
      meterState: storage.stores.meterState,
      config: { sites, rawRetentionDays: 35 },
      maxPayloadBytes: 1024,
      flushEverySeconds: 1,
      maxRetryBackoffMs: 1_000,
      alerts: {
        raise: (a) => raised.push(a),
        clear: (a) => cleared.push(`${a.kind}:${a.subject}`),
      },
    });
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub`, clean: true });
    await bus.start();
    await service.start();
    // Each meter's register rises 0.01 kWh a minute, one reading a minute for up to 20 hours.
    const base = Math.floor(Date.now() / MIN) * MIN - 24 * 60 * MIN;
    let published = 0;
    const publishMinutes = async (from: number, to: number) => {
      for (let minute = from; minute < to; minute++) {
        for (const id of METERS) {
          const payload = JSON.stringify({ ts: base + minute * MIN, energyKWh: 10 + minute * 0.01 });
          await publisher.publishAsync(`${prefix}/${id}`, payload, { qos: 1 });
        }
      }
      published = to;
    };
    const accepted = () => METERS.reduce((n, id) => n + (service.meter(id)?.accepted ?? 0), 0);
    const stored = () => storage.stores.readings.countReadings();
    try {
      await publishMinutes(0, 10);
      await waitFor(
        () => stored() === 30,
        () => `first readings stored: ${stored()}`,
      );

      // The file may not grow by a page: SQLite itself answers SQLITE_FULL, as on a full disk.
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
      for (let to = 60; to <= 1200 && service.stats().writeFailures === 0; to += 50) {
        await publishMinutes(published, to);
        await waitFor(
          () => accepted() === published * METERS.length,
          () => `accepted ${accepted()} of ${published * METERS.length}`,
        );
        // Each flush either wrote or failed; wait for one to be tried on this batch.
        await waitFor(
          () => service.stats().pendingReadings === 0 || service.stats().writeFailures > 0,
          () => `a flush of minute ${to}: ${JSON.stringify(service.stats().pendingReadings)}`,
        );
      }
      expect(service.stats().writeFailures).toBeGreaterThan(0);
      // More arrive while the store refuses: they are held with the rest.
      await publishMinutes(published, published + 20);
      await waitFor(
        () => accepted() === published * METERS.length,
        () => `accepted while failing ${accepted()}`,
      );
      expect(service.stats().pendingReadings).toBeGreaterThan(0);
      expect(raised.map((a) => `${a.kind}:${a.subject}`)).toEqual(['store-unwritable:ingest']);

      // Space again: the next attempt writes everything held.
      db.pragma('max_page_count = 1073741823');
      await waitFor(
        () => service.stats().writeFailingSinceMs === null && service.stats().pendingReadings === 0,
        () => `writes resumed: ${JSON.stringify(service.stats().pendingReadings)}`,
      );
      await service.stop();

      expect(stored()).toBe(published * METERS.length);
      for (const id of METERS) {
        const rows = storage.stores.intervals.intervalsFor({ meterId: id, minutes: 15, ...ALL });
        const energyKWh = rows.reduce((s, r) => s + (r.energyKWh ?? 0), 0);
        expect(energyKWh, id).toBeCloseTo((published - 1) * 0.01, 9);
      }
      expect(cleared).toEqual(['store-unwritable:ingest']);
      const warnings = log.lines.filter((l) => l.level === 'warn' && l.msg?.includes('writes failing'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.obj).toMatchObject({ err: 'database or disk is full' });
    } finally {
      await service.stop();
      await scheduler.stop();
      await publisher.endAsync();
      await bus.stop();
      await storage.component.stop();
    }
  });
});
