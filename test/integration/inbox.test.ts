import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import {
  openSqliteStorage,
  SqliteInbox,
  type SqliteStorage,
  sqliteAtomically,
} from '../../src/adapters/sqlite/index.js';
import { type Inbox, UNROUTED } from '../../src/ports/inbox.js';
import type { InboundMessage, MessageHandler } from '../../src/ports/message-bus.js';
import type { MeterStateStore } from '../../src/ports/stores.js';
import { INGEST_CONSUMER, IngestService } from '../../src/services/ingest/ingest-service.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { IdleScheduler } from '../helpers/idle-scheduler.js';
import { lobbySite } from '../helpers/lobby-site.js';
import { captureLogger } from '../helpers/logger.js';
import { waitFor } from '../helpers/mqtt.js';

const MIN = 60_000;
const ALL = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

let broker: TestBroker;
let dir: string;
let storage: SqliteStorage;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker.stop());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-inbox-'));
  storage = openSqliteStorage(dir, captureLogger());
});
afterEach(() => {
  storage.database.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.now() - 500 * MIN;
const reading = (topic: string, i: number, receivedAtMs = T0 + i * MIN): InboundMessage => ({
  topic,
  payload: Buffer.from(JSON.stringify({ ts: T0 + i * MIN, energyKWh: 100 + i * 0.1 })),
  retained: false,
  receivedAtMs,
});

const siteWith = (topic: string) => lobbySite([{ id: 'm1', topic }]);

function ingestOver(
  bus: { subscribe: MqttBus['subscribe']; publish: MqttBus['publish']; unsubscribe: MqttBus['unsubscribe'] },
  topic: string,
  meterState: MeterStateStore = storage.stores.meterState,
) {
  const db = storage.database.db;
  const log = captureLogger();
  return new IngestService({
    bus,
    clock: new SystemClock(),
    log,
    scheduler: new IdleScheduler(),
    readings: storage.stores.readings,
    intervals: storage.stores.intervals,
    meterState,
    rejections: storage.stores.rejections,
    config: { sites: [siteWith(topic)], rawRetentionDays: 35 },
    maxPayloadBytes: 1024,
    maxRetryBackoffMs: 0,
    inbox: new SqliteInbox(db),
    atomically: sqliteAtomically(db),
  });
}

/** A bus whose subscribe hands over the ingest consumer's inbox rows, as a start's replay does. */
const replayBus = (inbox: Inbox) => ({
  subscribe: async (_filters: readonly string[], handle: MessageHandler) => {
    for (const row of inbox.pending(INGEST_CONSUMER, 0, 100)) handle({ ...row, inboxSeq: row.seq });
  },
  unsubscribe: async () => undefined,
  publish: async () => undefined,
});

const rows = (consumer: string) => new SqliteInbox(storage.database.db).pending(consumer, 0, 100_000);
const energyKWh = () =>
  storage.stores.intervals
    .intervalsFor({ meterId: 'm1', minutes: 15, ...ALL })
    .reduce((s, r) => s + (r.energyKWh ?? 0), 0);

function persistentBus(clientId: string, inbox: Inbox, url = broker.url): MqttBus {
  return new MqttBus(
    {
      url,
      clientId,
      protocolVersion: 4,
      persistentSession: true,
      sessionExpirySeconds: 300,
      inbox,
    },
    new SystemClock(),
    captureLogger(),
  );
}

describe('SqliteInbox', () => {
  it('keeps rows per consumer in order, routes unrouted ones, and deletes what is released', () => {
    const inbox = new SqliteInbox(storage.database.db);
    const [a] = inbox.append(['ingest'], reading('t/a', 0));
    const [b, c] = inbox.append(['ingest', 'sensors'], reading('t/b', 1));
    const [u] = inbox.append([UNROUTED], reading('t/u', 2));
    expect(rows('ingest').map((r) => r.seq)).toEqual([a, b]);
    expect(rows('sensors').map((r) => r.seq)).toEqual([c]);
    expect(rows('ingest')[0]).toMatchObject({ topic: 't/a', retained: false, receivedAtMs: T0 });
    expect(Buffer.from(rows('ingest')[0]?.payload ?? []).toString()).toContain('"energyKWh":100');
    expect(inbox.pending('ingest', a ?? 0, 10).map((r) => r.topic)).toEqual(['t/b']);

    const routed = inbox.route(u ?? 0, 'ingest');
    expect(rows('ingest').map((r) => r.topic)).toEqual(['t/a', 't/b', 't/u']);
    expect(inbox.dropUnrouted()).toBe(1);
    inbox.release([a ?? 0, routed]);
    expect(rows('ingest').map((r) => r.seq)).toEqual([b]);
    expect(rows('sensors').map((r) => r.seq)).toEqual([c]);
  });

  it('appends a burst together: each message gets the seqs of its own rows, past 64 rows a statement', () => {
    const inbox = new SqliteInbox(storage.database.db);
    // The newest rows deleted first: new seqs still only go up (AUTOINCREMENT).
    const [gone] = inbox.append(['ingest'], reading('t/gone', 0));
    inbox.release([gone ?? 0]);
    const consumersOf = (i: number) =>
      i % 7 === 0 ? ['ingest', 'sensors'] : i % 5 === 0 ? ['sensors'] : ['ingest'];
    const burst = Array.from({ length: 150 }, (_, i) => ({
      consumers: consumersOf(i),
      message: reading(`t/${i}`, i + 1),
    }));
    const seqs = inbox.appendAll(burst);
    expect(seqs.map((own) => own.length)).toEqual(burst.map((b) => b.consumers.length));
    expect(Math.min(...seqs.flat())).toBeGreaterThan(gone ?? 0);
    for (const consumer of ['ingest', 'sensors']) {
      const expected = burst.flatMap((b, i) =>
        b.consumers.includes(consumer)
          ? [{ seq: seqs[i]?.[b.consumers.indexOf(consumer)], topic: b.message.topic }]
          : [],
      );
      expect(rows(consumer).map((r) => ({ seq: r.seq, topic: r.topic }))).toEqual(expected);
    }
    expect(inbox.appendAll([])).toEqual([]);
  });

  it('refuses a burst, storing none of it, if its rows did not get consecutive seqs', () => {
    const inbox = new SqliteInbox(storage.database.db);
    const db = storage.database.db;
    // Another row written between two of the burst's takes a seq in the middle of the statement's.
    db.exec(`CREATE TEMP TRIGGER interleave AFTER INSERT ON inbound_inbox WHEN NEW.consumer = 'ingest'
             BEGIN INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms)
                   VALUES ('other', 't', x'00', 0, 0); END`);
    try {
      const burst = Array.from({ length: 3 }, (_, i) => ({
        consumers: ['ingest'],
        message: reading(`t/${i}`, i),
      }));
      expect(() => inbox.appendAll(burst)).toThrow(/inbox seqs not consecutive/);
      expect(db.prepare('SELECT count(*) FROM inbound_inbox').pluck().get()).toBe(0);
    } finally {
      db.exec('DROP TRIGGER temp.interleave');
    }
  });

  it('releases exactly the seqs given, in runs or not, in any order', () => {
    const inbox = new SqliteInbox(storage.database.db);
    const seqs = Array.from({ length: 12 }, (_, i) => inbox.append(['ingest'], reading(`t/${i}`, i))[0] ?? 0);
    const [other] = inbox.append(['sensors'], reading('t/s', 12));
    const s = (i: number) => seqs[i] ?? 0;
    // Two runs (0-3, 7-9), a lone seq (5) and a repeated one, out of order.
    inbox.release([s(9), s(1), s(0), s(5), s(3), s(2), s(7), s(8), s(1)]);
    expect(rows('ingest').map((r) => r.seq)).toEqual([s(4), s(6), s(10), s(11)]);
    expect(rows('sensors').map((r) => r.seq)).toEqual([other]);
    inbox.release([s(4), s(6), s(10), s(11)]);
    expect(rows('ingest')).toEqual([]);
    expect(rows('sensors').map((r) => r.seq)).toEqual([other]);
  });
});

describe('the ingest flush and the inbox', () => {
  it('deletes the rows in the transaction that stores their effect, and keeps both on a failed write', async () => {
    const inbox = new SqliteInbox(storage.database.db);
    const handlers: ((m: InboundMessage) => void)[] = [];
    const bus = {
      subscribe: async (_f: readonly string[], h: (m: InboundMessage) => void) => void handlers.push(h),
      unsubscribe: async () => undefined,
      publish: async () => undefined,
    };
    // The meter states fail once, after readings and interval rows were written in the same transaction.
    let failStates = 1;
    const states = storage.stores.meterState;
    const meterState: MeterStateStore = {
      loadMeterState: (id) => states.loadMeterState(id),
      saveMeterState: (id, json) => states.saveMeterState(id, json),
      saveMeterStates: (s) => {
        if (failStates-- > 0) throw new Error('database or disk is full');
        states.saveMeterStates(s);
      },
    };
    const service = ingestOver(bus, 'qw/m1', meterState);
    await service.start();
    for (let i = 0; i < 10; i++) {
      const m = reading('qw/m1', i);
      const [seq] = inbox.append([INGEST_CONSUMER], m);
      for (const h of handlers) h(seq === undefined ? m : { ...m, inboxSeq: seq });
    }
    expect(service.flush()).toBe(false);
    // Rolled back as a whole: no reading, no interval energy, every inbox row still there.
    expect(storage.stores.readings.countReadings('m1')).toBe(0);
    expect(energyKWh()).toBe(0);
    expect(rows(INGEST_CONSUMER)).toHaveLength(10);

    expect(service.flush({ force: true })).toBe(true);
    expect(storage.stores.readings.countReadings('m1')).toBe(10);
    expect(energyKWh()).toBeCloseTo(0.9, 9);
    expect(rows(INGEST_CONSUMER)).toHaveLength(0);
    // Nothing is written twice by later flushes.
    expect(service.flush()).toBe(true);
    expect(energyKWh()).toBeCloseTo(0.9, 9);
    await service.stop();
  });

  it('replays what a crashed run left, before live messages, and stores each exactly once', async () => {
    const { prefix, clientId } = broker.unique('replay');
    const topic = `${prefix}/m1`;
    const inbox = new SqliteInbox(storage.database.db);
    // A crashed run: readings 0..4 stored with their rows deleted; 5..9 only in the inbox; 10..11 not routed yet.
    for (let i = 0; i < 5; i++) inbox.append([INGEST_CONSUMER], reading(topic, i));
    const earlier = ingestOver(replayBus(inbox), topic);
    await earlier.start();
    await earlier.stop();
    expect(rows(INGEST_CONSUMER)).toHaveLength(0);
    for (let i = 5; i < 10; i++) inbox.append([INGEST_CONSUMER], reading(topic, i));
    for (let i = 10; i < 12; i++) inbox.append([UNROUTED], reading(topic, i));
    inbox.append([UNROUTED], reading(`${prefix}/nobody`, 0));

    const bus = persistentBus(clientId, inbox);
    await bus.start();
    const service = ingestOver(bus, topic);
    await service.start();
    bus.settle();
    // The unrouted row on a topic nobody subscribes to is gone; the others were taken over.
    expect(rows(UNROUTED)).toHaveLength(0);
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub` });
    try {
      for (let i = 12; i < 20; i++) {
        await publisher.publishAsync(topic, JSON.stringify({ ts: T0 + i * MIN, energyKWh: 100 + i * 0.1 }), {
          qos: 1,
        });
      }
      await waitFor(
        () => service.stats().meters.m1?.accepted === 15,
        () => JSON.stringify(service.stats().meters.m1),
      );
    } finally {
      await publisher.endAsync();
    }
    await service.stop();
    await bus.stop();
    const stats = service.stats().meters.m1;
    // Replayed in order before the live ones: no reading arrived late.
    expect(stats).toMatchObject({ accepted: 15, late: 0, duplicates: 0 });
    expect(storage.stores.readings.countReadings('m1')).toBe(20);
    expect(energyKWh()).toBeCloseTo(1.9, 9);
    expect(rows(INGEST_CONSUMER)).toHaveLength(0);
  });
});

describe('rejection counts over the inbox', () => {
  it('counts each rejected message once, though a crash makes the next start replay it', async () => {
    const topic = 'qw/counted/m1';
    const inbox = new SqliteInbox(storage.database.db);
    const bad = (i: number): InboundMessage => ({
      ...reading(topic, i),
      payload: Buffer.from('{"energyKWh":-1}'),
    });
    for (let i = 0; i < 3; i++) inbox.append([INGEST_CONSUMER], bad(i));
    inbox.append([INGEST_CONSUMER], reading(topic, 3));
    // A run that crashes before its first flush: it handled every message and stored nothing.
    const crashed = ingestOver(replayBus(inbox), topic);
    await crashed.start();
    expect(crashed.stats().meters.m1?.rejected).toEqual({ negative: 3 });
    expect(storage.stores.rejections.counts()).toEqual([]);
    expect(rows(INGEST_CONSUMER)).toHaveLength(4);

    const next = ingestOver(replayBus(inbox), topic);
    await next.start();
    await next.stop();
    expect(storage.stores.rejections.counts()).toEqual([{ meterId: 'm1', reason: 'negative', count: 3 }]);
    expect(storage.stores.readings.countReadings('m1')).toBe(1);
    expect(rows(INGEST_CONSUMER)).toHaveLength(0);

    // Nothing left to replay: a further start counts nothing more.
    const third = ingestOver(replayBus(inbox), topic);
    await third.start();
    await third.stop();
    expect(storage.stores.rejections.counts()).toEqual([{ meterId: 'm1', reason: 'negative', count: 3 }]);
  });
});

describe('a stopped service on a running bus', () => {
  it('keeps what arrives until the bus stops, and stores it at its next start', async () => {
    const { prefix, clientId } = broker.unique('parked');
    const topic = `${prefix}/m1`;
    const inbox = new SqliteInbox(storage.database.db);
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub` });
    const publish = (i: number) =>
      publisher.publishAsync(topic, JSON.stringify({ ts: T0 + i * MIN, energyKWh: 100 + i * 0.1 }), {
        qos: 1,
      });
    try {
      const bus = persistentBus(clientId, inbox);
      await bus.start();
      const first = ingestOver(bus, topic);
      await first.start();
      bus.settle();
      for (let i = 0; i < 5; i++) await publish(i);
      await waitFor(
        () => first.stats().meters.m1?.accepted === 5,
        () => JSON.stringify(first.stats().meters.m1),
      );
      // The service stops first (as components do), the bus still takes messages.
      await first.stop();
      for (let i = 5; i < 10; i++) await publish(i);
      await waitFor(
        () => rows(INGEST_CONSUMER).length === 5,
        () => `inbox rows: ${rows(INGEST_CONSUMER).length}`,
      );
      await bus.stop();

      const next = persistentBus(clientId, inbox);
      await next.start();
      const second = ingestOver(next, topic);
      await second.start();
      next.settle();
      expect(second.stats().meters.m1?.accepted).toBe(5);
      await second.stop();
      await next.stop();
    } finally {
      await publisher.endAsync();
    }
    expect(storage.stores.readings.countReadings('m1')).toBe(10);
    expect(energyKWh()).toBeCloseTo(0.9, 9);
    expect(rows(INGEST_CONSUMER)).toHaveLength(0);
  });
});

describe('the MQTT bus while the inbox refuses appends', () => {
  it('acknowledges nothing more, and stores every reading once appends resume', async () => {
    const { prefix, clientId } = broker.unique('stall');
    const topic = `${prefix}/m1`;
    const real = new SqliteInbox(storage.database.db);
    const store = { failing: false, refused: 0 };
    const refuseWhileFailing = () => {
      if (!store.failing) return;
      store.refused++;
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const inbox: Inbox = {
      append: (consumers, m) => {
        refuseWhileFailing();
        return real.append(consumers, m);
      },
      appendAll: (appends) => {
        refuseWhileFailing();
        return real.appendAll(appends);
      },
      pending: (c, a, l) => real.pending(c, a, l),
      route: (s, c) => real.route(s, c),
      dropUnrouted: () => real.dropUnrouted(),
      release: (s) => real.release(s),
    };
    // PUBACKs counted where they count, on their way to the broker: the bus writes those of a burst
    // into its corked socket before the burst is committed, and discards them if the commit fails.
    const proxy = await pubackCountingProxy(broker.url);
    const pubacks = proxy.pubacks;
    const bus = persistentBus(clientId, inbox, proxy.url);
    await bus.start();
    const service = ingestOver(bus, topic);
    await service.start();
    bus.settle();
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub` });
    const publish = (i: number) =>
      publisher.publishAsync(topic, JSON.stringify({ ts: T0 + i * MIN, energyKWh: 100 + i * 0.1 }), {
        qos: 1,
      });
    const accepted = () => service.stats().meters.m1?.accepted ?? 0;
    try {
      for (let i = 0; i < 10; i++) await publish(i);
      await waitFor(
        () => accepted() === 10 && pubacks.length === 10,
        () => `accepted ${accepted()}, pubacks ${pubacks.length}`,
      );

      store.failing = true;
      // The broker takes all ten from the publisher; the service stalls on the first.
      for (let i = 10; i < 20; i++) await publish(i);
      // A refused append, then its first retry refused too: the acknowledgement has been held meanwhile.
      await waitFor(
        () => store.refused >= 2,
        () => `refused ${store.refused}`,
      );
      expect(bus.inboxStats().holding).toBe(true);
      expect(pubacks).toHaveLength(10);
      expect(accepted()).toBe(10);

      store.failing = false;
      await waitFor(
        () => accepted() === 20 && pubacks.length === 20,
        () => `accepted ${accepted()}, pubacks ${pubacks.length}`,
      );
      expect(bus.inboxStats().holding).toBe(false);
    } finally {
      await publisher.endAsync();
    }
    expect(service.flush()).toBe(true);
    await service.stop();
    await bus.stop();
    await proxy.close();
    expect(storage.stores.readings.countReadings('m1')).toBe(20);
    expect(energyKWh()).toBeCloseTo(1.9, 9);
    expect(rows(INGEST_CONSUMER)).toHaveLength(0);
  });
});

/**
 * A TCP proxy in front of the broker that counts the PUBACK packets clients send through it (MQTT
 * fixed header: type 4 in the high nibble, then the remaining length as a variable byte integer).
 */
async function pubackCountingProxy(
  brokerUrl: string,
): Promise<{ url: string; pubacks: number[]; close(): Promise<void> }> {
  const target = new URL(brokerUrl);
  const pubacks: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        let length = 0;
        let i = 1;
        for (let shift = 0; i < pending.length && i <= 4; i++, shift += 7) {
          length += ((pending[i] ?? 0) & 0x7f) << shift;
          if (((pending[i] ?? 0) & 0x80) === 0) break;
        }
        if (i >= pending.length || pending.length < i + 1 + length) return;
        if ((pending[0] ?? 0) >> 4 === 4) pubacks.push(pending.readUInt16BE(i + 1));
        pending = pending.subarray(i + 1 + length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pubacks,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
