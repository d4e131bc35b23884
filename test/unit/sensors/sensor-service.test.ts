import { describe, expect, it } from 'vitest';
import { SiteConfig } from '../../../src/config/schema/site.js';
import { siteOutdoorSensorId } from '../../../src/domain/sensors/sensor-index.js';
import { SensorService } from '../../../src/services/sensors/sensor-service.js';
import { MemorySensorStore } from '../../helpers/fakes/memory-sensor-store.js';
import { MemoryCounterStore } from '../../helpers/fakes/memory-small-stores.js';
import { CapturingLogger, FakeBus, FakeClock, FakeScheduler } from '../ingest/fakes.js';

const T0 = Date.parse('2024-06-01T02:00:00Z');
const MIN = 60_000;

function site() {
  return SiteConfig.parse({
    id: 'sunny',
    name: 'Sunny Gardens',
    timezone: 'Asia/Shanghai',
    outdoorTemperatureTopic: 'weather/sunny/outdoor',
    outdoorTemperatureFormat: 'number',
    spaces: [
      {
        id: 'lobby',
        type: 'lobby',
        areaM2: 120,
        sensors: [
          { id: 'lobby-motion', kind: 'occupancy', topic: 'zigbee2mqtt/lobby-motion', format: 'zigbee2mqtt' },
          { id: 'lobby-lux', kind: 'illuminance', topic: 'zigbee2mqtt/lobby-motion', format: 'zigbee2mqtt' },
          { id: 'lobby-temp', kind: 'indoor-temperature', topic: 'qw/lobby/temp' },
        ],
      },
      {
        id: 'gym',
        type: 'gym',
        areaM2: 80,
        sensors: [
          { id: 'gym-occ', kind: 'occupancy', topic: 'qw/gym/occ', format: 'number', staleAfterMinutes: 60 },
        ],
      },
    ],
  });
}

function setup(
  store = new MemorySensorStore(),
  flush: { flushEverySeconds?: number; flushWhenQuiet?: boolean } = {},
) {
  const clock = new FakeClock(T0);
  const bus = new FakeBus(clock);
  const scheduler = new FakeScheduler();
  const log = new CapturingLogger();
  const rejections = new MemoryCounterStore();
  const service = new SensorService({
    bus,
    clock,
    log,
    scheduler,
    store,
    rejections,
    config: { sites: [site()], rawRetentionDays: 35 },
    maxPayloadBytes: 512,
    logLinesPerMinute: 2,
    ...flush,
  });
  const at = (minute: number, topic: string, payload: string, retained = false) => {
    clock.nowMs = T0 + minute * MIN;
    bus.deliver(topic, payload, { retained });
  };
  return { clock, bus, scheduler, log, rejections, service, store, at };
}

describe('SensorService', () => {
  it('subscribes to every sensor topic and the site outdoor temperature topic, once each', async () => {
    const { service, bus } = setup();
    await service.start();
    expect(bus.filters.sort()).toEqual(
      ['qw/gym/occ', 'qw/lobby/temp', 'weather/sunny/outdoor', 'zigbee2mqtt/lobby-motion'].sort(),
    );
    await service.stop();
    expect(bus.filters).toEqual([]);
  });

  it('keeps the latest value per sensor and reads several kinds from one multi-sensor topic', async () => {
    const { service, at } = setup();
    await service.start();
    at(0, 'zigbee2mqtt/lobby-motion', '{"occupancy":true,"illuminance":140}');
    at(1, 'qw/lobby/temp', '{"value":24.5}');
    at(2, 'weather/sunny/outdoor', '31.2');
    expect(service.latest('sunny', 'lobby', 'occupancy')).toMatchObject({
      sensorId: 'lobby-motion',
      value: 1,
    });
    expect(service.latest('sunny', 'lobby', 'illuminance')).toMatchObject({ value: 140, tsMs: T0 });
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')).toMatchObject({
      value: 24.5,
      stale: false,
    });
    // No outdoor sensor in the lobby: the site's topic answers.
    expect(service.latest('sunny', 'lobby', 'outdoor-temperature')).toMatchObject({
      sensorId: siteOutdoorSensorId('sunny'),
      value: 31.2,
    });
    expect(service.latest('sunny', null, 'outdoor-temperature')?.value).toBe(31.2);
    expect(service.latest('sunny', 'gym', 'occupancy')).toBeUndefined();
    at(3, 'qw/lobby/temp', '{"value":25}');
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')?.value).toBe(25);
    // An older sample is stored but does not replace the latest.
    at(4, 'qw/lobby/temp', JSON.stringify({ ts: T0, value: 20 }));
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')?.value).toBe(25);
    expect(service.stats().sensors['lobby-temp']?.late).toBe(1);
  });

  it('fires occupancy listeners synchronously on each occupancy message, not on retained replays', async () => {
    const { service, at } = setup();
    await service.start();
    const events: [string, string, boolean, number][] = [];
    const off = service.onOccupancy((...e) => events.push(e));
    service.onOccupancy(() => {
      throw new Error('a broken listener');
    });
    at(5, 'qw/gym/occ', 'ON');
    expect(events).toEqual([['sunny', 'gym', true, T0 + 5 * MIN]]);
    at(6, 'zigbee2mqtt/lobby-motion', '{"occupancy":false}');
    at(7, 'zigbee2mqtt/lobby-motion', JSON.stringify({ occupancy: true, last_seen: T0 }), true);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual(['sunny', 'lobby', false, T0 + 6 * MIN]);
    off();
    at(8, 'qw/gym/occ', '0');
    expect(events).toHaveLength(2);
  });

  it('judges staleness per kind: motion sensors stay fresh long, any message is a heartbeat', async () => {
    const { service, at, clock } = setup();
    await service.start();
    expect(service.isStale('lobby-motion', T0)).toBe(true); // never heard
    expect(service.isStale('no-such-sensor', T0)).toBe(true);
    at(0, 'zigbee2mqtt/lobby-motion', '{"occupancy":false,"illuminance":10}');
    at(0, 'qw/lobby/temp', '{"value":22}');
    expect(service.isStale('lobby-temp', T0 + 30 * MIN)).toBe(false);
    expect(service.isStale('lobby-temp', T0 + 31 * MIN)).toBe(true);
    expect(service.isStale('lobby-lux', T0 + 31 * MIN)).toBe(true);
    expect(service.isStale('lobby-motion', T0 + 20 * 60 * MIN)).toBe(false);
    // A battery report 23 h later keeps the motion sensor alive, but not the illuminance.
    at(23 * 60, 'zigbee2mqtt/lobby-motion', '{"battery":88}');
    expect(service.isStale('lobby-motion', T0 + 46 * 60 * MIN)).toBe(false);
    expect(service.isStale('lobby-motion', T0 + 47.1 * 60 * MIN)).toBe(true);
    // A sensor's own threshold wins.
    at(0, 'qw/gym/occ', '1');
    clock.nowMs = T0;
    expect(service.isStale('gym-occ', T0 + 61 * MIN)).toBe(true);
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')?.stale).toBe(false);
    expect(service.freshness().find((f) => f.id === 'lobby-motion')).toMatchObject({
      kind: 'occupancy',
      staleAfterMinutes: 1440,
    });
  });

  it('counts every bad input per sensor and reason, logs rate-limited, never throws', async () => {
    const { service, at, rejections, log } = setup();
    await service.start();
    for (let i = 0; i < 5; i++) at(0, 'qw/lobby/temp', '{"value":');
    at(0, 'qw/lobby/temp', '{"value":"hot"}');
    at(0, 'qw/lobby/temp', '{"value":"NaN"}');
    at(0, 'qw/lobby/temp', '{"value":120}');
    at(0, 'qw/lobby/temp', JSON.stringify({ ts: T0 + 60 * MIN, value: 20 }));
    at(0, 'qw/lobby/temp', JSON.stringify({ ts: T0 - 30 * 86_400_000, value: 20 }));
    at(0, 'qw/lobby/temp', JSON.stringify({ value: 20, pad: 'x'.repeat(600) }));
    at(0, 'zigbee2mqtt/lobby-motion', '{"occupancy":true,"illuminance":-5}');
    const s = service.stats();
    expect(s.sensors['lobby-temp']?.rejected).toEqual({
      'malformed-json': 5,
      'wrong-type': 1,
      'non-finite': 1,
      'out-of-range': 1,
      'future-timestamp': 1,
      'stale-timestamp': 1,
      oversize: 1,
    });
    expect(s.sensors['lobby-lux']?.rejected).toEqual({ 'out-of-range': 1 });
    expect(s.sensors['lobby-motion']?.accepted).toBe(1);
    expect(rejections.counts()).toEqual([]);
    service.flush();
    const counts = rejections.counts();
    expect(counts.find((c) => c.meterId === 'lobby-temp' && c.reason === 'malformed-json')?.count).toBe(5);
    const malformedLines = log.lines.filter((l) => l.obj.reason === 'malformed-json');
    expect(malformedLines).toHaveLength(2);
    expect(String(malformedLines[0]?.obj.detail)).toContain('not valid JSON');
  });

  it('with a long flush interval, stores its samples once the stream pauses for a quarter second', async () => {
    const { service, at, scheduler, store, clock } = setup(undefined, {
      flushEverySeconds: 10,
      flushWhenQuiet: true,
    });
    await service.start();
    at(0, 'qw/gym/occ', '1');
    const quietCheck = scheduler.jobs.get('sensor-quiet-flush');
    expect(quietCheck?.timing).toEqual({ everySeconds: 0.25 });
    clock.nowMs += 200;
    await quietCheck?.job();
    expect(store.samplesFor('gym-occ', T0, T0 + MIN)).toEqual([]);
    clock.nowMs += 100;
    await quietCheck?.job();
    expect(store.samplesFor('gym-occ', T0, T0 + MIN).map((s) => s.value)).toEqual([1]);
    expect(scheduler.jobs.has('sensor-quiet-flush')).toBe(false);
    await service.stop();
  });

  it('persists samples and 15-minute aggregates; occupancy fraction and hourly outdoor temperature', async () => {
    const { service, at, scheduler, store, clock } = setup();
    await service.start();
    at(0, 'qw/gym/occ', '1');
    at(5, 'weather/sunny/outdoor', '30');
    at(10, 'weather/sunny/outdoor', '32');
    at(15, 'qw/gym/occ', '0');
    at(20, 'qw/gym/occ', '0'); // unchanged state: a heartbeat
    at(40, 'weather/sunny/outdoor', '34');
    clock.nowMs = T0 + 60 * MIN;
    await scheduler.runAll();
    expect(store.samplesFor('gym-occ', T0, T0 + 60 * MIN).map((s) => s.value)).toEqual([1, 0, 0]);
    const fractions = store.occupancyFractionFor({ siteId: 'sunny', spaceId: 'gym' }, T0, T0 + 60 * MIN);
    expect(fractions).toEqual([
      { startMs: T0, fraction: 1, observed: 1 },
      { startMs: T0 + 15 * MIN, fraction: 0, observed: 1 },
      { startMs: T0 + 30 * MIN, fraction: 0, observed: 1 },
      { startMs: T0 + 45 * MIN, fraction: 0, observed: 1 },
    ]);
    expect(store.occupancyFractionFor({ siteId: 'sunny', spaceId: 'gym' }, T0, T0 + 60 * MIN, 60)).toEqual([
      { startMs: T0, fraction: 0.25, observed: 1 },
    ]);
    expect(store.outdoorTemperatureHourly('sunny', T0, T0 + 60 * MIN)).toEqual([
      { hourStartMs: T0, temperatureC: 32, samples: 3 },
    ]);
  });

  it('restores the latest values after a restart and skips redelivered samples', async () => {
    const store = new MemorySensorStore();
    const first = setup(store);
    await first.service.start();
    first.at(0, 'qw/lobby/temp', JSON.stringify({ ts: T0, value: 21 }));
    await first.service.stop();
    const second = setup(store);
    second.clock.nowMs = T0 + 2 * MIN;
    await second.service.start();
    expect(second.service.latest('sunny', 'lobby', 'indoor-temperature')).toMatchObject({
      value: 21,
      tsMs: T0,
    });
    second.at(3, 'qw/lobby/temp', JSON.stringify({ ts: T0, value: 21 }), true);
    expect(second.service.stats().sensors['lobby-temp']?.duplicates).toBe(1);
    await second.service.stop();
    expect(
      store.quartersFor({ siteId: 'sunny', kind: 'indoor-temperature', fromMs: 0, toMs: T0 * 2 }),
    ).toMatchObject([{ count: 1, valueSum: 21 }]);
  });

  it('skips retained messages without a timestamp', async () => {
    const { service, at } = setup();
    await service.start();
    at(0, 'qw/lobby/temp', '{"value":22}', true);
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')).toBeUndefined();
    expect(service.stats().sensors['lobby-temp']?.retainedSkipped).toBe(1);
  });

  it('reconfigures: new sensors start, removed ones stop, kept sensors keep their state', async () => {
    const { service, bus, at } = setup();
    await service.start();
    at(0, 'qw/lobby/temp', '{"value":21}');
    const changed = SiteConfig.parse({
      id: 'sunny',
      name: 'Sunny Gardens',
      timezone: 'Asia/Shanghai',
      outdoorTemperatureTopic: 'weather/sunny/outdoor',
      spaces: [
        {
          id: 'lobby',
          type: 'lobby',
          areaM2: 120,
          sensors: [{ id: 'lobby-temp', kind: 'indoor-temperature', topic: 'qw/lobby/temp' }],
        },
        {
          id: 'hall',
          type: 'corridor',
          areaM2: 40,
          sensors: [{ id: 'hall-motion', kind: 'occupancy', topic: 'qw/hall/occ', format: 'number' }],
        },
      ],
    });
    await service.reconfigure({ sites: [changed] });
    expect(bus.filters.sort()).toEqual(['qw/hall/occ', 'qw/lobby/temp', 'weather/sunny/outdoor']);
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')?.value).toBe(21);
    expect(service.isStale('lobby-motion', T0)).toBe(true);
    at(1, 'qw/hall/occ', '1');
    expect(service.latest('sunny', 'hall', 'occupancy')?.value).toBe(1);
  });

  it('finds a sensor moved to another site by a reload under that site only, its state kept', async () => {
    const { service, at } = setup();
    await service.start();
    at(0, 'qw/lobby/temp', '{"value":21}');
    const moved = SiteConfig.parse({ ...site(), id: 'shady', outdoorTemperatureTopic: undefined });
    await service.reconfigure({ sites: [moved] });
    expect(service.latest('sunny', 'lobby', 'indoor-temperature')).toBeUndefined();
    expect(service.latest('shady', 'lobby', 'indoor-temperature')?.value).toBe(21);
    expect(service.latest('shady', 'lobby', 'occupancy')).toBeUndefined();
    expect(service.latest('nowhere', 'lobby', 'indoor-temperature')).toBeUndefined();
  });

  it('summarises every 15 minutes, at info only when there are rejections or the stale set changed', async () => {
    const { service, at, scheduler, log, clock } = setup();
    await service.start();
    at(0, 'qw/lobby/temp', '{"value":21}');
    const summaries = () =>
      log.lines.filter((l) => String(l.msg).startsWith('sensor samples in the last 15 min'));
    await scheduler.jobs.get('sensor-summary')?.job();
    expect(summaries().at(-1)).toMatchObject({ level: 'info', obj: { accepted: 1, rejected: 0 } });
    await scheduler.jobs.get('sensor-summary')?.job();
    expect(summaries().at(-1)).toMatchObject({ level: 'debug', obj: { accepted: 0 } });
    clock.nowMs = T0 + 31 * MIN;
    await scheduler.jobs.get('sensor-summary')?.job();
    expect(summaries().at(-1)?.level).toBe('info');
    expect(summaries().at(-1)?.obj.stale).toContain('lobby-temp');
  });
});
