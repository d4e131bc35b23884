import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IntervalRow, IntervalStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

const Q = 15 * 60_000;

const row = (startMs: number, energyKWh: number | null, coverage: number, extra: Partial<IntervalRow> = {}) =>
  ({
    meterId: 'm1',
    siteId: 's1',
    spaceId: 'lobby',
    endUse: 'lighting',
    minutes: 15,
    startMs,
    energyKWh,
    coverage,
    missing: energyKWh === null,
    ...extra,
  }) as IntervalRow;

const all = (s: IntervalStore, minutes: 15 | 60 = 15) =>
  s.intervalsFor({ minutes, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });

/** What every IntervalStore must do, including how rows for one key accumulate. */
export function intervalStoreContract(name: string, factory: StoreFactory<IntervalStore>): void {
  const test = (title: string, body: (s: IntervalStore) => void) => it(title, withStore(factory, body));

  describe(`IntervalStore contract: ${name}`, () => {
    test('stores rows and reads them back by start, then meter', (s) => {
      s.addIntervals([row(Q, 0.5, 1, { meterId: 'm2' }), row(0, 0.25, 1), row(Q, 0.75, 1)]);
      expect(all(s).map((r) => [r.startMs, r.meterId])).toEqual([
        [0, 'm1'],
        [Q, 'm1'],
        [Q, 'm2'],
      ]);
      expect(all(s)[0]).toStrictEqual(row(0, 0.25, 1));
    });

    test('filters by meter, space, end use and minutes over a half-open range', (s) => {
      s.addIntervals([
        row(0, 1, 1),
        row(Q, 1, 1),
        row(2 * Q, 1, 1),
        row(Q, 2, 1, { meterId: 'm2', spaceId: 'garage', endUse: 'hvac' }),
        row(0, 4, 1, { minutes: 60 }),
      ]);
      expect(s.intervalsFor({ minutes: 15, fromMs: Q, toMs: 2 * Q }).map((r) => r.meterId)).toEqual([
        'm1',
        'm2',
      ]);
      expect(s.intervalsFor({ minutes: 15, fromMs: 0, toMs: 3 * Q, meterId: 'm1' })).toHaveLength(3);
      expect(s.intervalsFor({ minutes: 15, fromMs: 0, toMs: 3 * Q, spaceId: 'garage' })).toHaveLength(1);
      expect(s.intervalsFor({ minutes: 15, fromMs: 0, toMs: 3 * Q, endUse: 'lighting' })).toHaveLength(3);
      expect(s.intervalsFor({ minutes: 15, fromMs: 0, toMs: 3 * Q, endUse: 'plug' })).toHaveLength(0);
      expect(all(s, 60)).toStrictEqual([row(0, 4, 1, { minutes: 60 })]);
    });

    test('accumulates energy and coverage for an existing key, across and within batches', (s) => {
      s.addIntervals([row(0, 0.1, 0.25)]);
      s.addIntervals([row(0, 0.2, 0.25), row(0, 0.3, 0.25)]);
      const [r] = all(s);
      expect(r?.energyKWh).toBeCloseTo(0.6, 12);
      expect(r?.coverage).toBeCloseTo(0.75, 12);
      expect(r?.missing).toBe(false);
      expect(all(s)).toHaveLength(1);
    });

    test('caps coverage at 1', (s) => {
      s.addIntervals([row(0, 1, 0.7), row(0, 1, 0.7)]);
      expect(all(s)[0]?.coverage).toBe(1);
    });

    test('a missing interval stays missing, with no energy, until energy arrives', (s) => {
      s.addIntervals([row(0, null, 0), row(0, null, 0)]);
      expect(all(s)[0]).toStrictEqual(row(0, null, 0));
      s.addIntervals([row(0, 0.4, 0.5)]);
      expect(all(s)[0]).toStrictEqual(row(0, 0.4, 0.5));
    });

    test('a missing marker never erases energy already there', (s) => {
      s.addIntervals([row(0, 0.4, 0.5)]);
      s.addIntervals([row(0, null, 0)]);
      expect(all(s)[0]).toStrictEqual(row(0, 0.4, 0.5));
    });

    test('keeps the first site, space and end use of a key', (s) => {
      s.addIntervals([row(0, 1, 0.5)]);
      s.addIntervals([row(0, 1, 0.5, { spaceId: 'elsewhere', siteId: 's9', endUse: 'hvac' })]);
      expect(all(s)[0]).toMatchObject({ siteId: 's1', spaceId: 'lobby', endUse: 'lighting', energyKWh: 2 });
    });

    test('counts rows per space for one interval length', (s) => {
      s.addIntervals([
        row(0, 1, 1),
        row(Q, 1, 1),
        row(0, 1, 1, { meterId: 'm2', spaceId: 'garage' }),
        row(0, 1, 1, { minutes: 60 }),
      ]);
      expect(s.countIntervalsBySpace(15)).toEqual(
        new Map([
          ['garage', 1],
          ['lobby', 2],
        ]),
      );
      expect(s.countIntervalsBySpace(60)).toEqual(new Map([['lobby', 1]]));
    });

    test('refuses inconsistent rows and writes nothing of their batch', (s) => {
      const bad: IntervalRow[] = [
        { ...row(0, 1, 1), missing: true },
        { ...row(0, null, 0), missing: false },
        row(0, null, 0.5),
        row(0, 1, 1.5),
        row(0, 1, -0.1),
        row(0, Number.NaN, 1),
        { ...row(0, 1, 1), minutes: 30 as 15 },
      ];
      for (const b of bad) expect(() => s.addIntervals([row(Q, 1, 1), b])).toThrow();
      expect(all(s)).toEqual([]);
    });

    test('sums to the total of its parts however they are split into batches (property)', (s) => {
      let start = 0;
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              energy: fc.double({ min: 0, max: 10, noNaN: true }),
              coverage: fc.double({ min: 0, max: 0.5, noNaN: true }),
              missing: fc.boolean(),
              // Rare cuts: batches past 64 rows, which a store may write many rows a statement.
              cut: fc.integer({ min: 0, max: 59 }).map((n) => n === 0),
            }),
            { minLength: 1, maxLength: 150, size: 'max' },
          ),
          (parts) => {
            start += Q; // a fresh key per run
            const rows = parts.map((p) =>
              p.missing ? row(start, null, 0) : row(start, p.energy, p.coverage),
            );
            let batch: IntervalRow[] = [];
            parts.forEach((p, i) => {
              batch.push(rows[i] as IntervalRow);
              if (p.cut) {
                s.addIntervals(batch);
                batch = [];
              }
            });
            s.addIntervals(batch);
            const got = s.intervalsFor({ minutes: 15, fromMs: start, toMs: start + 1 });
            const present = parts.filter((p) => !p.missing);
            expect(got).toHaveLength(1);
            if (present.length === 0) {
              expect(got[0]).toStrictEqual(row(start, null, 0));
            } else {
              const energy = present.reduce((a, p) => a + p.energy, 0);
              const coverage = Math.min(
                1,
                present.reduce((a, p) => a + p.coverage, 0),
              );
              expect(got[0]?.missing).toBe(false);
              expect(got[0]?.energyKWh).toBeCloseTo(energy, 9);
              expect(got[0]?.coverage).toBeCloseTo(coverage, 9);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
