import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { openSqliteStorage } from '../../src/adapters/sqlite/index.js';
import { IngestService } from '../../src/services/ingest/ingest-service.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { IdleScheduler } from '../helpers/idle-scheduler.js';
import { lobbySite } from '../helpers/lobby-site.js';
import { captureLogger } from '../helpers/logger.js';
import { waitFor } from '../helpers/mqtt.js';

const MIN = 60_000;
const ALL = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-ingest-restart-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One run of the ingest path: a persistent-session bus, the service, and the SQLite file. */
async function startIngest(clientId: string, topic: string, dbDir: string) {
  const log = captureLogger();
  const clock = new SystemClock();
  const storage = openSqliteStorage(dbDir, log);
  const bus = new MqttBus(
    { url: broker.url, clientId, protocolVersion: 4, persistentSession: true, sessionExpirySeconds: 300 },
    clock,
    log,
  );
  await bus.start();
  const sites = [lobbySite([{ id: 'm1', topic }])];
  const service = new IngestService({
    bus,
    clock,
    log,
    scheduler: new IdleScheduler(),
    readings: storage.stores.readings,
    intervals: storage.stores.intervals,
    meterState: storage.stores.meterState,
    config: { sites, rawRetentionDays: 35 },
    maxPayloadBytes: 1024,
  });
  await service.start();
  return {
    service,
    storage,
    stop: async () => {
      await service.stop();
      await bus.stop();
      await storage.component.stop();
    },
  };
}

describe('ingest over a persistent session', () => {
  it('stores every reading published at QoS 1 while the service was stopped', async () => {
    const { prefix, clientId } = broker.unique('restart');
    const topic = `${prefix}/m1`;
    const dbDir = join(dir, 'restart');
    const base = Math.floor(Date.now() / MIN) * MIN - 60 * MIN;
    const reading = (minute: number) => JSON.stringify({ ts: base + minute * MIN, energyKWh: 100 + minute });
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub`, clean: true });
    try {
      const first = await startIngest(`${clientId}-svc`, topic, dbDir);
      await publisher.publishAsync(topic, reading(0), { qos: 1 });
      await waitFor(
        () => (first.service.meter('m1')?.accepted ?? 0) >= 1,
        () => 'the first reading',
      );
      await first.stop();

      // Published while nothing of the service runs: the broker must queue them for its session.
      const away = 30;
      for (let i = 1; i <= away; i++) await publisher.publishAsync(topic, reading(i), { qos: 1 });

      const again = await startIngest(`${clientId}-svc`, topic, dbDir);
      await waitFor(
        () => (again.service.meter('m1')?.accepted ?? 0) >= away,
        () => `readings after the restart: ${JSON.stringify(again.service.stats().meters.m1)}`,
      );
      await again.stop();

      const storage = openSqliteStorage(dbDir, captureLogger());
      try {
        expect(storage.stores.readings.countReadings('m1')).toBe(away + 1);
        const rows = storage.stores.intervals.intervalsFor({ meterId: 'm1', minutes: 15, ...ALL });
        const energyKWh = rows.reduce((s, r) => s + (r.energyKWh ?? 0), 0);
        expect(energyKWh).toBeCloseTo(away, 9);
      } finally {
        await storage.component.stop();
      }
    } finally {
      // Leave no session behind on a shared broker.
      const cleaner = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-svc`, clean: true });
      await cleaner.endAsync();
      await publisher.endAsync();
    }
  });
});
