import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStores } from '../../src/adapters/sqlite/create-stores.js';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteInbox, sqliteAtomically } from '../../src/adapters/sqlite/inbox-store.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { INGEST_CONSUMER, IngestService } from '../../src/services/ingest/ingest-service.js';
import { siteWithMeters } from '../helpers/meter-site.js';
import { FakeBus, FakeClock, FakeScheduler, testIngestDeps } from '../unit/ingest/fakes.js';

// Enough readings for two pages of a paged flush (about 2,500 readings a page, whole meters).
const METERS = 60;
const READINGS_PER_METER = 60;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const MIN = 60_000;
const KWH_A_MINUTE = 0.05;

const site = siteWithMeters(METERS);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-paged-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function service(database: SqliteDatabase, clock: FakeClock) {
  const bus = new FakeBus(clock);
  const scheduler = new FakeScheduler();
  const stores = createSqliteStores(database.db);
  const inbox = new SqliteInbox(database.db);
  const ingest = new IngestService(
    testIngestDeps(
      { bus, clock, scheduler, stores, site },
      { inbox, atomically: sqliteAtomically(database.db) },
    ),
  );
  /** As the bus does: the message is in the inbox before the handler sees it. */
  const receive = (message: InboundMessage) => {
    const [seq = -1] = inbox.append([INGEST_CONSUMER], message);
    for (const s of bus.subscriptions) s.handler({ ...message, inboxSeq: seq });
  };
  const replay = () => {
    for (const row of inbox.pending(INGEST_CONSUMER, 0, 1_000_000))
      for (const s of bus.subscriptions) s.handler({ ...row, inboxSeq: row.seq });
  };
  return { ingest, scheduler, stores, inbox, receive, replay };
}

const count = (database: SqliteDatabase, table: string) =>
  database.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('ingest writes a large flush in pages', () => {
  it('a crash between two pages leaves every reading stored once and each meter’s energy whole', async () => {
    const clock = new FakeClock(T0 + READINGS_PER_METER * MIN);
    const path = join(dir, 'quietwatt.db');
    const first = openDatabase(path);
    const a = service(first, clock);
    await a.ingest.start();
    for (let i = 0; i < READINGS_PER_METER; i++)
      for (let m = 0; m < METERS; m++) {
        const payload = JSON.stringify({ ts: T0 + i * MIN, energyKWh: 1000 + m + i * KWH_A_MINUTE });
        a.receive({
          topic: `qw/m${m}`,
          payload: new TextEncoder().encode(payload),
          retained: false,
          receivedAtMs: clock.now(),
        });
      }
    // The periodic flush writes its first page at once and the next after a turn of the event loop:
    // the process dies before that turn.
    void a.scheduler.jobs.get('ingest-flush')?.job();
    const afterFirstPage = count(first, 'readings');
    first.db.close();
    expect(afterFirstPage).toBeGreaterThanOrEqual(2_500);
    expect(afterFirstPage).toBeLessThan(METERS * READINGS_PER_METER);

    // The next start replays the inbox: every message, as none was deleted.
    const second = openDatabase(path);
    const b = service(second, clock);
    expect(b.inbox.pending(INGEST_CONSUMER, 0, 1_000_000)).toHaveLength(METERS * READINGS_PER_METER);
    await b.ingest.start();
    b.replay();
    expect(b.ingest.flush()).toBe(true);

    expect(count(second, 'readings')).toBe(METERS * READINGS_PER_METER);
    expect(count(second, 'inbound_inbox')).toBe(0);
    const rise = (READINGS_PER_METER - 1) * KWH_A_MINUTE;
    for (let m = 0; m < METERS; m++) {
      const rows = b.stores.intervals.intervalsFor({
        meterId: `m${m}`,
        minutes: 15,
        fromMs: 0,
        toMs: Number.MAX_SAFE_INTEGER,
      });
      const kWh = rows.reduce((sum, r) => sum + (r.energyKWh ?? 0), 0);
      expect(kWh, `m${m}`).toBeCloseTo(rise, 9);
    }
    // The committed meters' readings came back as duplicates of what their stored windows hold.
    const duplicates = Object.values(b.ingest.stats().meters).reduce((n, s) => n + s.duplicates, 0);
    expect(duplicates).toBe(afterFirstPage);
    await b.ingest.stop();
    second.close();
  });

  it('deletes the inbox rows with the last page only, and not those of messages that came meanwhile', async () => {
    const clock = new FakeClock(T0 + READINGS_PER_METER * MIN);
    const database = openDatabase(join(dir, 'quietwatt.db'));
    const a = service(database, clock);
    await a.ingest.start();
    const reading = (m: number, i: number): InboundMessage => ({
      topic: `qw/m${m}`,
      payload: new TextEncoder().encode(
        JSON.stringify({ ts: T0 + i * MIN, energyKWh: 1000 + i * KWH_A_MINUTE }),
      ),
      retained: false,
      receivedAtMs: clock.now(),
    });
    for (let i = 0; i < READINGS_PER_METER - 1; i++)
      for (let m = 0; m < METERS; m++) a.receive(reading(m, i));
    const round = a.scheduler.jobs.get('ingest-flush')?.job();
    expect(count(database, 'inbound_inbox')).toBe(METERS * (READINGS_PER_METER - 1));
    // A message handled between two pages waits for the next flush, and so does its inbox row.
    a.receive(reading(0, READINGS_PER_METER - 1));
    await round;
    expect(count(database, 'readings')).toBe(METERS * (READINGS_PER_METER - 1));
    expect(count(database, 'inbound_inbox')).toBe(1);
    expect(a.ingest.flush()).toBe(true);
    expect(count(database, 'readings')).toBe(METERS * (READINGS_PER_METER - 1) + 1);
    expect(count(database, 'inbound_inbox')).toBe(0);
    await a.ingest.stop();
    database.close();
  });
});
