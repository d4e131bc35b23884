import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadingStore, StoredReading } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

const r = (meterId: string, tsMs: number, extra: Partial<StoredReading> = {}): StoredReading => ({
  meterId,
  tsMs,
  energyKWh: tsMs / 1000,
  powerW: 100,
  receivedAtMs: tsMs + 5,
  ...extra,
});

/** What every ReadingStore must do. */
export function readingStoreContract(name: string, factory: StoreFactory<ReadingStore>): void {
  const test = (title: string, body: (s: ReadingStore) => void) => it(title, withStore(factory, body));

  describe(`ReadingStore contract: ${name}`, () => {
    test('starts empty', (s) => {
      expect(s.countReadings()).toBe(0);
      expect(s.countReadings('m1')).toBe(0);
      expect(s.readingsFor('m1', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    });

    test('returns a meter’s readings in time order, whatever order they were appended in', (s) => {
      s.appendReadings([r('m1', 3000), r('m1', 1000), r('m2', 2000)]);
      s.appendReadings([r('m1', 2000)]);
      expect(s.readingsFor('m1', 0, 10_000).map((x) => x.tsMs)).toEqual([1000, 2000, 3000]);
      expect(s.readingsFor('m2', 0, 10_000)).toStrictEqual([r('m2', 2000)]);
      expect(s.countReadings()).toBe(4);
      expect(s.countReadings('m1')).toBe(3);
    });

    test('uses a half-open range [fromMs, toMs)', (s) => {
      s.appendReadings([r('m1', 1000), r('m1', 2000), r('m1', 3000)]);
      expect(s.readingsFor('m1', 1000, 3000).map((x) => x.tsMs)).toEqual([1000, 2000]);
    });

    test('omits the value a reading did not carry', (s) => {
      s.appendReadings([
        { meterId: 'p', tsMs: 1, powerW: 42.5, receivedAtMs: 2 },
        { meterId: 'p', tsMs: 2, energyKWh: 7.25, receivedAtMs: 3 },
      ]);
      const [a, b] = s.readingsFor('p', 0, 10);
      expect(a).toStrictEqual({ meterId: 'p', tsMs: 1, powerW: 42.5, receivedAtMs: 2 });
      expect(b).toStrictEqual({ meterId: 'p', tsMs: 2, energyKWh: 7.25, receivedAtMs: 3 });
      expect(a && 'energyKWh' in a).toBe(false);
    });

    test('keeps the first reading of a (meter, timestamp) and ignores later duplicates', (s) => {
      s.appendReadings([r('m1', 1000, { energyKWh: 5 })]);
      s.appendReadings([r('m1', 1000, { energyKWh: 9 }), r('m1', 1000, { energyKWh: 11 })]);
      expect(s.countReadings('m1')).toBe(1);
      expect(s.readingsFor('m1', 0, 2000)[0]?.energyKWh).toBe(5);
    });

    test('prunes readings strictly older than the cutoff, across meters, and says how many', (s) => {
      s.appendReadings([r('m1', 1000), r('m1', 2000), r('m2', 1500), r('m2', 2500)]);
      expect(s.pruneReadingsBefore(2000)).toBe(2);
      expect(s.readingsFor('m1', 0, 10_000).map((x) => x.tsMs)).toEqual([2000]);
      expect(s.readingsFor('m2', 0, 10_000).map((x) => x.tsMs)).toEqual([2500]);
      expect(s.pruneReadingsBefore(2000)).toBe(0);
    });

    test('refuses a batch with a non-finite value and writes none of it', (s) => {
      expect(() => s.appendReadings([r('m1', 1000), r('m1', 2000, { energyKWh: Number.NaN })])).toThrow(
        /energyKWh/,
      );
      expect(() => s.appendReadings([r('m1', 3000, { powerW: Number.POSITIVE_INFINITY })])).toThrow(/powerW/);
      expect(s.countReadings()).toBe(0);
    });

    test('an empty batch changes nothing', (s) => {
      s.appendReadings([]);
      expect(s.countReadings()).toBe(0);
    });

    test('holds exactly the distinct (meter, timestamp) pairs appended, the first of each (property)', (s) => {
      fc.assert(
        fc.property(
          // Batches past 64 rows: a store may write many rows a statement.
          fc.array(
            fc.record({ meter: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 50 }) }),
            { maxLength: 200, size: 'max' },
          ),
          (batch) => {
            // Each run starts where the last ended: clear what is there first.
            s.pruneReadingsBefore(Number.MAX_SAFE_INTEGER);
            const first = new Map<string, number>();
            s.appendReadings(batch.map((b, i) => r(b.meter, b.ts, { powerW: i })));
            batch.forEach((b, i) => {
              if (!first.has(`${b.meter}/${b.ts}`)) first.set(`${b.meter}/${b.ts}`, i);
            });
            const seen = new Set(first.keys());
            expect(s.countReadings()).toBe(seen.size);
            for (const m of ['a', 'b', 'c']) {
              const got = s.readingsFor(m, 0, 51);
              const ts = got.map((x) => x.tsMs);
              expect(ts).toEqual([...ts].sort((x, y) => x - y));
              expect(ts.length).toBe(s.countReadings(m));
              for (const x of got) expect(x.powerW).toBe(first.get(`${m}/${x.tsMs}`));
            }
            const cutoff = batch[0]?.ts ?? 0;
            const before = [...seen].filter((k) => Number(k.split('/')[1]) < cutoff).length;
            expect(s.pruneReadingsBefore(cutoff)).toBe(before);
          },
        ),
        { numRuns: 50 },
      );
    });
  });
}
