import { describe, expect, it } from 'vitest';
import { SiteConfig } from '../../../src/config/schema/site.js';
import type { AlertRaise } from '../../../src/domain/alerts/alert.js';
import type { AlertSink } from '../../../src/ports/operations.js';
import { IngestService } from '../../../src/services/ingest/ingest-service.js';
import { WriteRetry } from '../../../src/services/shared/write-retry.js';
import { createMemoryStores } from '../../helpers/fakes/index.js';
import { CapturingLogger, FakeBus, FakeClock, FakeScheduler } from './fakes.js';

const T0 = Date.parse('2024-06-01T02:00:00Z');
const MIN = 60_000;
const ALL = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

const site = SiteConfig.parse({
  id: 'sunny',
  name: 'Sunny Gardens',
  timezone: 'Asia/Shanghai',
  spaces: [
    {
      id: 'lobby',
      type: 'lobby',
      areaM2: 120,
      meters: [{ id: 'm', topic: 'qw/m', measures: 'total', format: 'json' }],
    },
  ],
});

/** The memory stores, each write failing as a full disk does while its count of failures lasts. */
function failingStores() {
  const stores = createMemoryStores();
  const fail = { readings: 0, intervals: 0, states: 0 };
  const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  const attempt = (part: keyof typeof fail) => {
    if (fail[part] > 0) {
      fail[part]--;
      throw full();
    }
  };
  return {
    stores,
    fail,
    readings: {
      ...stores.readings,
      appendReadings: (r: Parameters<typeof stores.readings.appendReadings>[0]) => {
        attempt('readings');
        stores.readings.appendReadings(r);
      },
      countReadings: (id?: string) => stores.readings.countReadings(id),
      readingsFor: (id: string, a: number, b: number) => stores.readings.readingsFor(id, a, b),
      pruneReadingsBefore: (c: number) => stores.readings.pruneReadingsBefore(c),
    },
    intervals: {
      addIntervals: (rows: Parameters<typeof stores.intervals.addIntervals>[0]) => {
        attempt('intervals');
        stores.intervals.addIntervals(rows);
      },
      intervalsFor: (q: Parameters<typeof stores.intervals.intervalsFor>[0]) =>
        stores.intervals.intervalsFor(q),
      countIntervalsBySpace: (m: Parameters<typeof stores.intervals.countIntervalsBySpace>[0]) =>
        stores.intervals.countIntervalsBySpace(m),
    },
    meterState: {
      loadMeterState: (id: string) => stores.meterState.loadMeterState(id),
      saveMeterState: (id: string, json: string) => stores.meterState.saveMeterState(id, json),
      saveMeterStates: (states: ReadonlyMap<string, string>) => {
        attempt('states');
        stores.meterState.saveMeterStates(states);
      },
    },
  };
}

class RecordingAlerts implements AlertSink {
  readonly raised: AlertRaise[] = [];
  readonly cleared: string[] = [];
  raise(alert: AlertRaise): void {
    this.raised.push(alert);
  }
  clear(alert: Pick<AlertRaise, 'kind' | 'subject'>): void {
    this.cleared.push(`${alert.kind}:${alert.subject}`);
  }
}

function setup(f: ReturnType<typeof failingStores>, alerts?: AlertSink) {
  const clock = new FakeClock(T0);
  const bus = new FakeBus(clock);
  const scheduler = new FakeScheduler();
  const log = new CapturingLogger();
  const service = new IngestService({
    bus,
    clock,
    log,
    scheduler,
    readings: f.readings,
    intervals: f.intervals,
    meterState: f.meterState,
    config: { sites: [site], rawRetentionDays: 35 },
    maxPayloadBytes: 512,
    ...(alerts ? { alerts } : {}),
  });
  /** One reading at `minute` (the register rises 0.1 kWh a minute), then the periodic flush. */
  const readingThenFlush = async (minute: number) => {
    clock.nowMs = T0 + minute * MIN;
    bus.deliver('qw/m', JSON.stringify({ ts: clock.nowMs, energyKWh: 100 + minute * 0.1 }));
    await scheduler.runAll();
  };
  return { clock, service, log, readingThenFlush };
}

const energyKWh = (f: ReturnType<typeof failingStores>) =>
  f.stores.intervals
    .intervalsFor({ meterId: 'm', minutes: 15, ...ALL })
    .reduce((s, r) => s + (r.energyKWh ?? 0), 0);

describe('IngestService when the store fails to write', () => {
  it('keeps what it holds, retries, and stores every reading and kWh exactly once', async () => {
    const f = failingStores();
    const alerts = new RecordingAlerts();
    const t = setup(f, alerts);
    await t.service.start();
    await t.readingThenFlush(0);
    // Readings fail twice, then interval rows 5 times, then meter states 3 times: 10 failed attempts.
    Object.assign(f.fail, { readings: 2, intervals: 5, states: 3 });
    for (let minute = 1; minute < 30; minute++) await t.readingThenFlush(minute);
    expect(f.fail).toEqual({ readings: 0, intervals: 0, states: 0 });

    expect(f.stores.readings.countReadings('m')).toBe(30);
    expect(energyKWh(f)).toBeCloseTo(2.9, 9);
    const stats = t.service.stats();
    expect(stats).toMatchObject({
      pendingReadings: 0,
      pendingIntervalRows: 0,
      writeFailures: 10,
      writeFailingSinceMs: null,
    });
    const failing = t.log.lines.filter((l) => l.msg?.includes('writes failing'));
    expect(failing).toHaveLength(1);
    expect(failing[0]?.level).toBe('warn');
    expect(failing[0]?.obj.err).toBe('database or disk is full');
    expect(t.log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toHaveLength(1);
    expect(t.log.lines.filter((l) => l.msg?.includes('writes resumed'))).toHaveLength(1);
    expect(alerts.raised).toHaveLength(1);
    expect(alerts.raised[0]).toMatchObject({
      kind: 'store-unwritable',
      subject: 'ingest',
      severity: 'critical',
    });
    expect(alerts.cleared).toEqual(['store-unwritable:ingest']);
    await t.service.stop();

    // The meter state written after the failures continues the register in a new run.
    const again = setup(f);
    await again.service.start();
    await again.readingThenFlush(30);
    expect(again.service.stats().meters.m).toMatchObject({ accepted: 1, resets: 0 });
    expect(energyKWh(f)).toBeCloseTo(3, 9);
    await again.service.stop();
  });

  it('warns once per failure streak and waits out its backoff between attempts', async () => {
    const f = failingStores();
    const t = setup(f);
    await t.service.start();
    f.fail.readings = 2;
    await t.readingThenFlush(0); // fails: the next attempt waits 1 s
    t.service.flush(); // not due yet: no attempt
    expect(t.service.stats().writeFailures).toBe(1);
    t.clock.nowMs += 1_000;
    t.service.flush(); // fails again: now 2 s
    expect(t.service.stats()).toMatchObject({
      writeFailures: 2,
      writeFailingSinceMs: T0,
      pendingReadings: 1,
    });
    await t.readingThenFlush(1); // a minute later: written
    expect(t.service.stats()).toMatchObject({
      writeFailures: 2,
      writeFailingSinceMs: null,
      pendingReadings: 0,
    });
    f.fail.readings = 1;
    await t.readingThenFlush(2);
    await t.readingThenFlush(3);
    expect(t.log.lines.filter((l) => l.msg?.includes('writes failing'))).toHaveLength(2);
    expect(f.stores.readings.countReadings('m')).toBe(4);
    await t.service.stop();
  });

  it('says on stop how much the store refused', async () => {
    const f = failingStores();
    const t = setup(f);
    await t.service.start();
    f.fail.readings = 100;
    await t.readingThenFlush(0);
    await t.service.stop();
    const line = t.log.lines.find((l) => l.level === 'error');
    expect(line?.msg).toContain('refused');
    expect(line?.obj).toMatchObject({ readings: 1 });
  });
});

describe('WriteRetry', () => {
  it('doubles the wait after each failure, up to the cap', () => {
    const clock = new FakeClock(0);
    const retry = new WriteRetry({
      clock,
      log: new CapturingLogger(),
      subject: 'x',
      firstBackoffMs: 1_000,
      maxBackoffMs: 5_000,
    });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      retry.failed(new Error('full'), {});
      const start = clock.nowMs;
      while (!retry.due()) clock.nowMs += 250;
      waits.push(clock.nowMs - start);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    retry.succeeded();
    expect(retry.due()).toBe(true);
    expect(retry.stats()).toEqual({ writeFailures: 5, writeFailingSinceMs: null });
  });
});
