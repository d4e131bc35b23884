import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import {
  openSqliteStorage,
  SqliteInbox,
  type SqliteStorage,
  sqliteAtomically,
} from '../../src/adapters/sqlite/index.js';
import { SqliteSensorStore } from '../../src/adapters/sqlite/sensor-store.js';
import { SiteConfig } from '../../src/config/schema/site.js';
import type { SensorQuarterDelta } from '../../src/domain/sensors/types.js';
import type { InboundMessage, MessageHandler } from '../../src/ports/message-bus.js';
import { SENSORS_CONSUMER, SensorService } from '../../src/services/sensors/sensor-service.js';
import { IdleScheduler } from '../helpers/idle-scheduler.js';
import { captureLogger } from '../helpers/logger.js';

const MIN = 60_000;

let dir: string;
let storage: SqliteStorage;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-sensors-inbox-'));
  storage = openSqliteStorage(dir, captureLogger());
});
afterEach(() => {
  storage.database.close();
  rmSync(dir, { recursive: true, force: true });
});

const site = SiteConfig.parse({
  id: 'site',
  name: 'Inbox site',
  timezone: 'UTC',
  spaces: [
    {
      id: 'gym',
      type: 'gym',
      areaM2: 80,
      sensors: [{ id: 'gym-temp', kind: 'indoor-temperature', topic: 'qw/gym/temp', format: 'json' }],
    },
  ],
});

const count = (table: string) =>
  (storage.database.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('the sensor flush and the inbox', () => {
  it('stores samples, quarters and the inbox deletion together, or none of them', async () => {
    const db = storage.database.db;
    const inbox = new SqliteInbox(db);
    const real = new SqliteSensorStore(db);
    let failQuarters = 1;
    const store = Object.assign(Object.create(real) as SqliteSensorStore, {
      addQuarters: (deltas: readonly SensorQuarterDelta[]) => {
        if (failQuarters-- > 0) throw new Error('database or disk is full');
        real.addQuarters(deltas);
      },
    });
    const handlers: MessageHandler[] = [];
    const service = new SensorService({
      bus: {
        subscribe: async (_f, h) => void handlers.push(h),
        unsubscribe: async () => undefined,
        publish: async () => undefined,
      },
      clock: new SystemClock(),
      log: captureLogger(),
      scheduler: new IdleScheduler(),
      store,
      config: { sites: [site], rawRetentionDays: 35 },
      maxRetryBackoffMs: 0,
      inbox,
      atomically: sqliteAtomically(db),
    });
    await service.start();
    const t0 = Date.now() - 60 * MIN;
    for (let i = 0; i < 10; i++) {
      const m: InboundMessage = {
        topic: 'qw/gym/temp',
        payload: Buffer.from(JSON.stringify({ ts: t0 + i * MIN, value: 21 + i / 10 })),
        retained: false,
        receivedAtMs: t0 + i * MIN,
      };
      const [seq] = inbox.append([SENSORS_CONSUMER], m);
      for (const h of handlers) h(seq === undefined ? m : { ...m, inboxSeq: seq });
    }
    // The samples went in before the quarters failed: the transaction takes them back out.
    expect(service.flush()).toBe(false);
    expect(count('sensor_samples')).toBe(0);
    expect(count('sensor_quarters')).toBe(0);
    expect(inbox.pending(SENSORS_CONSUMER, 0, 100)).toHaveLength(10);

    expect(service.flush({ force: true })).toBe(true);
    expect(count('sensor_samples')).toBe(10);
    expect(count('sensor_quarters')).toBeGreaterThan(0);
    expect(inbox.pending(SENSORS_CONSUMER, 0, 100)).toHaveLength(0);
    const quarters = count('sensor_quarters');
    expect(service.flush()).toBe(true);
    expect(count('sensor_quarters')).toBe(quarters);
    await service.stop();
  });
});
