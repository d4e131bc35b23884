import { describe, expect, it } from 'vitest';
import type { SensorQuarterDelta, SensorSample } from '../../src/domain/sensors/types.js';
import type { SensorStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

const Q = 15 * 60_000;
const H = 4 * Q;

const sample = (sensorId: string, tsMs: number, value = 1): SensorSample => ({
  sensorId,
  tsMs,
  value,
  receivedAtMs: tsMs + 3,
});

const delta = (over: Partial<SensorQuarterDelta>): SensorQuarterDelta => ({
  sensorId: 'occ-a',
  siteId: 'site',
  spaceId: 'lobby',
  kind: 'occupancy',
  startMs: 0,
  valueSum: 0,
  count: 0,
  occupiedMs: 0,
  observedMs: 0,
  ...over,
});

/** What every SensorStore must do. */
export function sensorStoreContract(name: string, factory: StoreFactory<SensorStore>): void {
  const test = (title: string, body: (s: SensorStore) => void) => it(title, withStore(factory, body));

  describe(`SensorStore contract: ${name}`, () => {
    test('starts empty', (s) => {
      expect(s.latestSamples()).toEqual([]);
      expect(s.samplesFor('x', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      expect(s.occupancyFractionFor({ siteId: 'site', spaceId: 'lobby' }, 0, H)).toEqual([]);
      expect(s.outdoorTemperatureHourly('site', 0, H)).toEqual([]);
    });

    test('returns samples in time order over [from, to); a redelivered sample is ignored', (s) => {
      s.appendSamples([sample('t', 3000, 23), sample('t', 1000, 21), sample('u', 2000)]);
      s.appendSamples([sample('t', 2000, 22), { ...sample('t', 1000, 99), receivedAtMs: 5 }]);
      expect(s.samplesFor('t', 1000, 3000)).toStrictEqual([sample('t', 1000, 21), sample('t', 2000, 22)]);
      expect(s.latestSamples()).toStrictEqual([sample('t', 3000, 23), sample('u', 2000)]);
    });

    test('prunes raw samples before the cutoff but keeps the aggregates', (s) => {
      s.appendSamples([sample('t', 1000), sample('t', 5000)]);
      s.addQuarters([
        delta({ sensorId: 't', kind: 'outdoor-temperature', spaceId: null, valueSum: 10, count: 1 }),
      ]);
      expect(s.pruneSamplesBefore(5000)).toBe(1);
      expect(s.samplesFor('t', 0, 10_000).map((x) => x.tsMs)).toEqual([5000]);
      expect(s.outdoorTemperatureHourly('site', 0, H)).toEqual([
        { hourStartMs: 0, temperatureC: 10, samples: 1 },
      ]);
    });

    test('accumulates quarter deltas and keeps site-level sensors apart from spaces', (s) => {
      s.addQuarters([delta({ occupiedMs: 1000, observedMs: 4000, count: 1, valueSum: 1 })]);
      s.addQuarters([delta({ occupiedMs: 2000, observedMs: 5000, count: 1, valueSum: 0 })]);
      s.addQuarters([
        delta({ sensorId: 'out', spaceId: null, kind: 'outdoor-temperature', valueSum: 5, count: 1 }),
      ]);
      const lobby = s.quartersFor({ siteId: 'site', spaceId: 'lobby', fromMs: 0, toMs: H });
      expect(lobby).toStrictEqual([delta({ occupiedMs: 3000, observedMs: 9000, count: 2, valueSum: 1 })]);
      const site = s.quartersFor({ siteId: 'site', spaceId: null, fromMs: 0, toMs: H });
      expect(site.map((q) => [q.sensorId, q.spaceId])).toEqual([['out', null]]);
      expect(s.quartersFor({ siteId: 'site', fromMs: 0, toMs: H })).toHaveLength(2);
      expect(s.quartersFor({ siteId: 'other', fromMs: 0, toMs: H })).toEqual([]);
    });

    test('gives a space’s occupancy per quarter and per hour', (s) => {
      s.addQuarters([
        delta({ startMs: 0, occupiedMs: Q, observedMs: Q }),
        delta({ startMs: Q, occupiedMs: 0, observedMs: Q }),
        delta({ sensorId: 'occ-b', startMs: Q, occupiedMs: Q / 3, observedMs: Q }),
        delta({ startMs: 2 * Q, occupiedMs: 0, observedMs: 0 }),
        delta({ spaceId: 'gym', sensorId: 'occ-g', startMs: 0, occupiedMs: Q, observedMs: Q }),
        delta({ startMs: H, occupiedMs: Q, observedMs: Q }),
      ]);
      const quarters = s.occupancyFractionFor({ siteId: 'site', spaceId: 'lobby' }, 0, H);
      expect(quarters.map((q) => q.startMs)).toEqual([0, Q]);
      expect(quarters[0]).toEqual({ startMs: 0, fraction: 1, observed: 1 });
      expect(quarters[1]?.fraction).toBeCloseTo(1 / 3, 9);
      const hours = s.occupancyFractionFor({ siteId: 'site', spaceId: 'lobby' }, 0, 2 * H, 60);
      expect(hours.map((h) => h.startMs)).toEqual([0, H]);
      expect(hours[0]?.fraction).toBeCloseTo((1 + 1 / 3) / 2, 9);
      expect(hours[0]?.observed).toBeCloseTo(0.5, 9);
    });

    test('averages a site’s outdoor temperature per hour, including outdoor sensors in spaces', (s) => {
      s.addQuarters([
        delta({
          sensorId: 'site-out',
          spaceId: null,
          kind: 'outdoor-temperature',
          startMs: 0,
          valueSum: 40,
          count: 2,
        }),
        delta({ sensorId: 'roof', kind: 'outdoor-temperature', startMs: Q, valueSum: 23, count: 1 }),
        delta({ sensorId: 'in', kind: 'indoor-temperature', startMs: 0, valueSum: 50, count: 1 }),
        delta({
          sensorId: 'site-out',
          spaceId: null,
          kind: 'outdoor-temperature',
          startMs: H,
          valueSum: 9,
          count: 1,
        }),
      ]);
      expect(s.outdoorTemperatureHourly('site', 0, 2 * H)).toEqual([
        { hourStartMs: 0, temperatureC: 21, samples: 3 },
        { hourStartMs: H, temperatureC: 9, samples: 1 },
      ]);
      expect(s.outdoorTemperatureHourly('site', H, 2 * H)).toHaveLength(1);
    });

    test('refuses rows that are not finite or inconsistent, writing none of the batch', (s) => {
      expect(() => s.appendSamples([sample('t', 1), sample('t', 2, Number.NaN)])).toThrow(/value/);
      expect(s.samplesFor('t', 0, 10)).toEqual([]);
      expect(() => s.addQuarters([delta({ occupiedMs: 10, observedMs: 5 })])).toThrow(/occupied/);
    });
  });
}
