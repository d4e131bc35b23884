import { describe, expect, it } from 'vitest';
import { SiteConfig } from '../../../src/config/schema/site.js';
import { IngestService, UNKNOWN_METER } from '../../../src/services/ingest/ingest-service.js';
import { createMemoryStores, type MemoryCounterStore } from '../../helpers/fakes/index.js';
import { CapturingLogger, FakeBus, FakeClock, FakeScheduler } from './fakes.js';

const T0 = Date.parse('2024-06-01T02:00:00Z'); // 10:00 in Asia/Shanghai
const MIN = 60_000;

function site(extraMeters: Record<string, unknown>[] = []) {
  return SiteConfig.parse({
    id: 'sunny',
    name: 'Sunny Gardens',
    timezone: 'Asia/Shanghai',
    spaces: [
      {
        id: 'lobby',
        type: 'lobby',
        areaM2: 120,
        meters: [
          { id: 'lobby-light', topic: 'qw/lobby/light', measures: 'lighting', format: 'json' },
          { id: 'lobby-hvac', topic: 'tele/lobby-hvac/SENSOR', measures: 'hvac', format: 'tasmota' },
          ...extraMeters,
        ],
      },
      {
        id: 'garage',
        type: 'garage',
        areaM2: 2000,
        meters: [
          {
            id: 'garage-plug',
            topic: 'shelly-garage/status/switch:0',
            measures: 'plug',
            format: 'shelly-gen2',
            maxPowerW: 3500,
          },
          {
            id: 'garage-fan',
            topic: 'zigbee2mqtt/garage-fan',
            measures: 'hvac',
            format: 'zigbee2mqtt',
            value: 'power',
          },
        ],
      },
    ],
  });
}

function setup(
  opts: {
    sites?: SiteConfig[];
    stores?: ReturnType<typeof createMemoryStores>;
    watch?: string[];
    flushWhenQuiet?: boolean;
    maxPendingReadings?: number;
  } = {},
) {
  const clock = new FakeClock(T0);
  const bus = new FakeBus(clock);
  const scheduler = new FakeScheduler();
  const log = new CapturingLogger();
  const stores = opts.stores ?? createMemoryStores();
  const rejections = stores.rejections as MemoryCounterStore;
  const service = new IngestService({
    bus,
    clock,
    log,
    scheduler,
    readings: stores.readings,
    intervals: stores.intervals,
    meterState: stores.meterState,
    rejections,
    config: { sites: opts.sites ?? [site()], rawRetentionDays: 35 },
    maxPayloadBytes: 512,
    logLinesPerMinute: 2,
    ...(opts.watch ? { watchTopicFilters: opts.watch } : {}),
    ...(opts.flushWhenQuiet ? { flushEverySeconds: 10, flushWhenQuiet: true } : {}),
    ...(opts.maxPendingReadings !== undefined ? { maxPendingReadings: opts.maxPendingReadings } : {}),
  });
  /** Delivers at simulated time `minute` after T0. */
  const at = (minute: number, topic: string, payload: string, retained = false) => {
    clock.nowMs = T0 + minute * MIN;
    bus.deliver(topic, payload, { retained });
  };
  const json = (minute: number, energyKWh: number) =>
    at(minute, 'qw/lobby/light', JSON.stringify({ ts: T0 + minute * MIN, energyKWh }));
  return { clock, bus, scheduler, log, stores, rejections, service, at, json };
}

const sum = (rows: { energyKWh: number | null }[]) => rows.reduce((s, r) => s + (r.energyKWh ?? 0), 0);
const ALL = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

describe('IngestService', () => {
  it('with a long flush interval, stores what it holds once the stream pauses for a quarter second', async () => {
    const t = setup({ flushWhenQuiet: true });
    await t.service.start();
    t.json(0, 100);
    t.json(1, 100.01);
    const quietCheck = t.scheduler.jobs.get('ingest-quiet-flush');
    expect(quietCheck?.timing).toEqual({ everySeconds: 0.25 });
    t.clock.nowMs += 200; // not yet a pause
    await quietCheck?.job();
    expect(t.stores.readings.countReadings()).toBe(0);
    t.clock.nowMs += 100;
    await quietCheck?.job();
    expect(t.stores.readings.countReadings()).toBe(2);
    expect(t.scheduler.jobs.has('ingest-quiet-flush')).toBe(false);
    expect(t.scheduler.jobs.get('ingest-flush')?.timing).toEqual({ everySeconds: 10 });
    await t.service.stop();
  });

  it('once the stream pauses, also stores what came while a paged flush was under way', async () => {
    const t = setup({ flushWhenQuiet: true, maxPendingReadings: 2 });
    await t.service.start();
    t.json(0, 100);
    t.json(1, 100.01); // two held: a paged flush of these two starts
    t.json(2, 100.02); // the stream's last reading, after that flush took what it writes
    const quietCheck = t.scheduler.jobs.get('ingest-quiet-flush');
    t.clock.nowMs += 300;
    await quietCheck?.job();
    expect(t.stores.readings.countReadings()).toBe(3);
    await t.service.stop();
  });

  it('subscribes every meter topic and books readings of every format per space and end use', async () => {
    const t = setup();
    await t.service.start();
    expect(t.bus.filters.sort()).toEqual(
      [
        'qw/lobby/light',
        'tele/lobby-hvac/SENSOR',
        'shelly-garage/status/switch:0',
        'zigbee2mqtt/garage-fan',
      ].sort(),
    );
    for (let minute = 0; minute <= 30; minute += 5) {
      t.json(minute, 100 + minute * 0.01);
      const local = new Date(T0 + minute * MIN + 8 * 3_600_000).toISOString().slice(0, 19);
      t.at(
        minute,
        'tele/lobby-hvac/SENSOR',
        JSON.stringify({ Time: local, ENERGY: { Total: 50 + minute * 0.1, Power: 6000 } }),
      );
      t.at(
        minute,
        'shelly-garage/status/switch:0',
        JSON.stringify({
          apower: 120,
          aenergy: { total: 1000 + minute * 2, minute_ts: (T0 + minute * MIN) / 1000 },
        }),
      );
      t.at(
        minute,
        'zigbee2mqtt/garage-fan',
        JSON.stringify({ power: 600, last_seen: new Date(T0 + minute * MIN).toISOString() }),
      );
    }
    await t.scheduler.runAll(); // the flush timer
    const q = (meterId: string) => t.stores.intervals.intervalsFor({ meterId, minutes: 15, ...ALL });
    expect(sum(q('lobby-light'))).toBeCloseTo(0.3, 9);
    expect(sum(q('lobby-hvac'))).toBeCloseTo(3, 9);
    expect(sum(q('garage-plug'))).toBeCloseTo(0.06, 9);
    expect(sum(q('garage-fan'))).toBeCloseTo(0.3, 9); // 600 W for half an hour
    const lighting = t.stores.intervals.intervalsFor({
      spaceId: 'lobby',
      endUse: 'lighting',
      minutes: 60,
      ...ALL,
    });
    expect(lighting.every((r) => r.meterId === 'lobby-light')).toBe(true);
    expect(t.stores.intervals.countIntervalsBySpace(15)).toEqual(
      new Map([
        ['garage', 4],
        ['lobby', 4],
      ]),
    );
    expect(t.stores.readings.countReadings()).toBe(28);
    const stats = t.service.stats();
    expect(stats.meters['lobby-hvac']).toMatchObject({
      accepted: 7,
      rejected: {},
      lastReadingTsMs: T0 + 30 * MIN,
    });
    expect(stats.spaces['sunny/garage']).toEqual({ lastReadingTsMs: T0 + 30 * MIN });
    await t.service.stop();
  });

  it('rejects each bad input per meter and reason, rate-limits the log lines, and leaves other meters alone', async () => {
    const t = setup({ watch: ['tele/+/SENSOR'] });
    await t.service.start();
    t.json(0, 100);
    t.at(1, 'qw/lobby/light', '{"energyKWh": ');
    t.at(2, 'qw/lobby/light', '{"energyKWh":"lots"}');
    t.at(3, 'qw/lobby/light', '{"energyKWh":"NaN"}');
    t.at(4, 'qw/lobby/light', '{"energyKWh":-3}');
    t.at(5, 'qw/lobby/light', JSON.stringify({ ts: T0 + 5 * MIN, energyKWh: 5_000 }));
    t.at(6, 'qw/lobby/light', JSON.stringify({ ts: T0 + 60 * MIN, energyKWh: 101 }));
    t.at(7, 'qw/lobby/light', JSON.stringify({ ts: T0 - 30 * 86_400_000, energyKWh: 101 }));
    t.at(8, 'qw/lobby/light', `{"energyKWh":101,"pad":"${'x'.repeat(600)}"}`);
    t.at(9, 'tele/stranger/SENSOR', '{"ENERGY":{"Total":1}}');
    t.at(9, 'shelly-garage/status/switch:0', '{"apower":9000}');
    for (let i = 0; i < 4; i++) t.at(10, 'qw/lobby/light', '{"energyKWh":-1}');
    t.json(11, 100.5);
    t.at(70, 'qw/lobby/light', '{"energyKWh":-1}');

    const stats = t.service.stats();
    expect(stats.meters['lobby-light']?.rejected).toEqual({
      'malformed-json': 1,
      'wrong-type': 1,
      'non-finite': 1,
      negative: 6,
      'absurd-jump': 1,
      'future-timestamp': 1,
      'stale-timestamp': 1,
      oversize: 1,
    });
    expect(stats.meters['lobby-light']?.accepted).toBe(2);
    expect(stats.meters['garage-plug']?.rejected).toEqual({ 'absurd-jump': 1 });
    expect(stats.meters['lobby-hvac']?.rejected).toEqual({});
    expect(stats.unknownTopics).toEqual({ 'tele/stranger/SENSOR': 1 });
    // Stored by the flush that deletes the messages' inbox rows, not one write per message.
    expect(t.rejections.counts()).toEqual([]);
    t.service.flush();
    expect(t.rejections.counts()).toContainEqual({
      meterId: UNKNOWN_METER,
      reason: 'unknown-topic',
      count: 1,
    });
    expect(t.rejections.counts()).toContainEqual({ meterId: 'lobby-light', reason: 'negative', count: 6 });

    const negativeLines = t.log.lines.filter((l) => l.obj.reason === 'negative');
    // At most 2 per minute: minute 4 (1), minute 10 (2 of 4), minute 70 (1, reporting the 2 suppressed).
    expect(negativeLines.length).toBe(4);
    const last = negativeLines[negativeLines.length - 1];
    expect(last?.obj).toMatchObject({ meterId: 'lobby-light', topic: 'qw/lobby/light', suppressed: 2 });
    expect(last?.msg).toContain('qw/lobby/light');
    const unknownLine = t.log.lines.find((l) => l.obj.reason === 'unknown-topic');
    expect(unknownLine?.obj.topic).toBe('tele/stranger/SENSOR');
    await t.service.stop();
  });

  it('counts duplicates, late readings and resets; stop flushes; state survives a restart', async () => {
    const t = setup();
    await t.service.start();
    t.json(0, 100);
    t.json(10, 101);
    t.json(10, 101); // duplicate
    t.json(5, 100.2); // late
    t.json(20, 0.4); // reset
    await t.service.stop(); // no timer ran: stop must flush
    const s = t.service.stats().meters['lobby-light'];
    expect(s).toMatchObject({ accepted: 4, duplicates: 1, late: 1, resets: 1 });
    // The control loop's view of one meter is the same figures, read without copying every meter.
    expect(t.service.meter('lobby-light')).toEqual({ accepted: 4, lastReadingTsMs: s?.lastReadingTsMs });
    expect(t.service.meter('no-such-meter')).toBeUndefined();
    const rows = t.stores.intervals.intervalsFor({ meterId: 'lobby-light', minutes: 15, ...ALL });
    expect(sum(rows)).toBeCloseTo(1.4, 9);
    expect(rows[0]?.energyKWh).toBeCloseTo(1 + 0.4 * (5 / 10), 9);
    // Stored as the compact record: a 4-byte header and 25 bytes per reading held (4 readings).
    const stored = t.stores.meterState.loadMeterState('lobby-light');
    expect(stored).toBeInstanceOf(Uint8Array);
    expect((stored as Uint8Array).byteLength).toBe(4 + 4 * 25);

    // A second service over the same stores continues the register: the redelivered last reading is a
    // duplicate, and the next one is differenced against it.
    const again = setup({ stores: t.stores });
    await again.service.start();
    again.json(20, 0.4);
    again.json(30, 0.9);
    await again.service.stop();
    expect(again.service.stats().meters['lobby-light']).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(sum(t.stores.intervals.intervalsFor({ meterId: 'lobby-light', minutes: 60, ...ALL }))).toBeCloseTo(
      1.9,
      9,
    );
  });

  it('marks a long silence missing and reports its energy as unapportioned', async () => {
    const t = setup();
    await t.service.start();
    t.json(0, 100);
    t.json(15, 100.5);
    t.json(195, 104.5); // 3 h later, over the default 60-minute maxGap
    t.json(210, 105);
    await t.service.stop();
    const rows = t.stores.intervals.intervalsFor({ meterId: 'lobby-light', minutes: 15, ...ALL });
    const missing = rows.filter((r) => r.missing);
    expect(missing.length).toBe(12);
    expect(missing.every((r) => r.energyKWh === null)).toBe(true);
    expect(sum(rows)).toBeCloseTo(1, 9);
    expect(t.service.stats().meters['lobby-light']?.unapportionedKWh).toBeCloseTo(4, 9);
  });

  it('skips retained messages that carry no timestamp', async () => {
    const t = setup();
    await t.service.start();
    t.at(0, 'qw/lobby/light', '{"energyKWh":100}', true);
    t.at(0, 'qw/lobby/light', JSON.stringify({ ts: T0, energyKWh: 100 }), true);
    expect(t.service.stats().meters['lobby-light']).toMatchObject({ retainedSkipped: 1, accepted: 1 });
    await t.service.stop();
  });

  it('continues a register stored as JSON by an earlier release, then stores it as a record', async () => {
    const t = setup();
    // The compact JSON form (v2) as releases before the record format wrote it: readings at 0 and 10 min.
    t.stores.meterState.saveMeterState(
      'lobby-light',
      JSON.stringify({
        v: 2,
        s: false,
        e: [
          [T0, 100],
          [T0 + 10 * MIN, 101, 1, 0],
        ],
      }),
    );
    await t.service.start();
    t.json(10, 101); // redelivered: a duplicate of what the JSON holds
    t.json(20, 101.5);
    await t.service.stop();
    expect(t.service.stats().meters['lobby-light']).toMatchObject({ accepted: 1, duplicates: 1 });
    const rows = t.stores.intervals.intervalsFor({ meterId: 'lobby-light', minutes: 60, ...ALL });
    expect(sum(rows)).toBeCloseTo(0.5, 9);
    expect(t.stores.meterState.loadMeterState('lobby-light')).toBeInstanceOf(Uint8Array);
  });

  it("writes a meter's state only when it changed since the last flush", async () => {
    const t = setup();
    const saved: string[][] = [];
    const saveMeterStates = t.stores.meterState.saveMeterStates.bind(t.stores.meterState);
    t.stores.meterState.saveMeterStates = (states) => {
      saved.push([...states.keys()]);
      saveMeterStates(states);
    };
    await t.service.start();
    t.json(0, 100);
    t.service.flush();
    t.json(0, 100); // a duplicate changes nothing
    t.at(1, 'qw/lobby/light', 'not json'); // nor does a rejected message
    t.service.flush();
    t.json(5, 100.2);
    await t.service.stop();
    expect(saved).toEqual([['lobby-light'], ['lobby-light']]);
  });

  it('never throws from the message handler, even when a store fails', async () => {
    const t = setup();
    t.stores.meterState.saveMeterState('lobby-light', '{"not":"a state"}');
    const failing = {
      ...t.stores.intervals,
      addIntervals: () => {
        throw new Error('disk full');
      },
    };
    const service = new IngestService({
      bus: t.bus,
      clock: t.clock,
      log: t.log,
      scheduler: t.scheduler,
      readings: t.stores.readings,
      intervals: failing as unknown as typeof t.stores.intervals,
      meterState: t.stores.meterState,
      config: { sites: [site()] },
      maxPayloadBytes: 512,
    });
    await service.start();
    expect(() => {
      t.json(0, 100);
      t.json(5, 101);
    }).not.toThrow();
    await expect(service.stop()).resolves.toBeUndefined();
    expect(t.log.lines.some((l) => l.level === 'warn' && l.msg?.includes('unreadable'))).toBe(true);
    expect(t.log.lines.some((l) => l.level === 'warn' && l.obj.err === 'disk full')).toBe(true);
    // The stop's last attempt failed too: it says what the store refused.
    expect(t.log.lines.some((l) => l.level === 'error' && l.msg?.includes('refused'))).toBe(true);
  });

  it('reconfigure subscribes new meters and drops removed ones', async () => {
    const t = setup();
    await t.service.start();
    t.json(0, 100);
    const extra = { id: 'lobby-plug', topic: 'qw/lobby/plug', measures: 'plug', format: 'number' };
    const reduced = SiteConfig.parse({
      ...site([extra]),
      spaces: site([extra]).spaces.filter((s) => s.id === 'lobby'),
    });
    await t.service.reconfigure({ sites: [reduced] });
    expect(t.bus.filters).toContain('qw/lobby/plug');
    expect(t.bus.filters).not.toContain('zigbee2mqtt/garage-fan');
    t.at(1, 'qw/lobby/plug', '12.5');
    t.json(5, 100.5);
    expect(t.service.stats().meters['lobby-plug']?.accepted).toBe(1);
    expect(t.service.stats().meters['lobby-light']?.accepted).toBe(2);
    await t.service.stop();
  });
});
