import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerRow, SavingsLedgerStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

const H = 3_600_000;

const row = (hour: number, extra: Partial<LedgerRow> = {}): LedgerRow => ({
  hourStartMs: hour * H,
  siteId: 's1',
  spaceId: 'lobby',
  endUse: 'lighting',
  baselineKWh: 10,
  measuredKWh: 7,
  avoidedKWh: 3,
  cost: 1.5,
  currency: 'CNY',
  co2Kg: 1.8,
  kind: 'measured',
  method: 'baseline',
  baselineVersion: 'towt@1',
  ...extra,
});

const week = { fromMs: 0, toMs: 168 * H };

export function savingsLedgerStoreContract(name: string, factory: StoreFactory<SavingsLedgerStore>): void {
  const test = (title: string, body: (s: SavingsLedgerStore) => void) => it(title, withStore(factory, body));

  describe(`SavingsLedgerStore contract: ${name}`, () => {
    test('stores rows and lists them by hour for one kind and method', (s) => {
      s.upsertLedger([row(2), row(1), row(1, { kind: 'estimated' })]);
      const measured = s.ledgerRows({ kind: 'measured', method: 'baseline', ...week });
      expect(measured).toStrictEqual([row(1), row(2)]);
    });

    test('an upsert of the same hour, space, end use, kind and method replaces the row', (s) => {
      s.upsertLedger([row(1)]);
      s.upsertLedger([row(1, { avoidedKWh: 4, measuredKWh: 6, baselineVersion: 'towt@2' })]);
      const rows = s.ledgerRows({ kind: 'measured', method: 'baseline', ...week });
      expect(rows).toStrictEqual([row(1, { avoidedKWh: 4, measuredKWh: 6, baselineVersion: 'towt@2' })]);
    });

    test('never sums measured with estimated, nor one method with another', (s) => {
      s.upsertLedger([
        row(1),
        row(2),
        row(1, { kind: 'estimated', avoidedKWh: 100 }),
        row(1, { method: 'randomized', avoidedKWh: 1000 }),
      ]);
      const [measured] = s.sumLedger({ kind: 'measured', method: 'baseline', ...week });
      expect(measured).toMatchObject({ kind: 'measured', method: 'baseline', hours: 2 });
      expect(measured?.avoidedKWh).toBeCloseTo(6, 12);
      const [estimated] = s.sumLedger({ kind: 'estimated', method: 'baseline', ...week });
      expect(estimated?.avoidedKWh).toBeCloseTo(100, 12);
      expect(estimated?.hours).toBe(1);
      const [randomized] = s.sumLedger({ kind: 'measured', method: 'randomized', ...week });
      expect(randomized?.avoidedKWh).toBeCloseTo(1000, 12);
    });

    test('sums per site, space and end use over a half-open period', (s) => {
      s.upsertLedger([
        row(0),
        row(1),
        row(2),
        row(1, { endUse: 'hvac', avoidedKWh: 5, cost: 2, co2Kg: 3, baselineKWh: 20, measuredKWh: 15 }),
        row(1, { spaceId: 'garage' }),
      ]);
      const totals = s.sumLedger({ kind: 'measured', method: 'baseline', fromMs: 1 * H, toMs: 3 * H });
      expect(totals.map((t) => [t.spaceId, t.endUse, t.hours])).toEqual([
        ['garage', 'lighting', 1],
        ['lobby', 'hvac', 1],
        ['lobby', 'lighting', 2],
      ]);
      const lobbyLight = totals[2];
      expect(lobbyLight?.baselineKWh).toBeCloseTo(20, 12);
      expect(lobbyLight?.measuredKWh).toBeCloseTo(14, 12);
      expect(lobbyLight?.avoidedKWh).toBeCloseTo(6, 12);
      expect(lobbyLight?.cost).toBeCloseTo(3, 12);
      expect(lobbyLight?.co2Kg).toBeCloseTo(3.6, 12);
      const onlyLobby = s.sumLedger({
        kind: 'measured',
        method: 'baseline',
        spaceId: 'lobby',
        endUse: 'hvac',
        ...week,
      });
      expect(onlyLobby.map((t) => t.avoidedKWh)).toEqual([5]);
      expect(s.sumLedger({ kind: 'measured', method: 'baseline', siteId: 's2', ...week })).toEqual([]);
    });

    test('sums per period, series and currency in one grouped query, with the versions used', (s) => {
      s.upsertLedger([
        row(0),
        row(5, { baselineVersion: 'towt@2' }),
        row(30),
        row(30, { spaceId: 'garage', currency: 'EUR', cost: 0.2 }),
        row(50),
        row(30, { method: 'randomized', avoidedKWh: 99 }),
        row(31, { kind: 'estimated', avoidedKWh: 99 }),
      ]);
      const totals = s.sumLedgerByPeriod({
        kind: 'measured',
        method: 'baseline',
        periods: [
          { fromMs: 0, toMs: 24 * H },
          { fromMs: 24 * H, toMs: 48 * H },
        ],
      });
      expect(
        totals.map((t) => [t.periodStartMs / H, t.periodEndMs / H, t.spaceId, t.currency, t.hours]),
      ).toEqual([
        [0, 24, 'lobby', 'CNY', 2],
        [24, 48, 'garage', 'EUR', 1],
        [24, 48, 'lobby', 'CNY', 1],
      ]);
      expect(totals[0]?.avoidedKWh).toBeCloseTo(6, 12);
      expect(totals[0]?.cost).toBeCloseTo(3, 12);
      expect(totals[0]?.versions).toEqual(['towt@1', 'towt@2']);
      expect(totals[1]?.cost).toBeCloseTo(0.2, 12);
      const garage = s.sumLedgerByPeriod({
        kind: 'measured',
        method: 'baseline',
        spaceId: 'garage',
        periods: [{ fromMs: 0, toMs: 48 * H }],
      });
      expect(garage.map((t) => t.spaceId)).toEqual(['garage']);
      expect(s.sumLedgerByPeriod({ kind: 'measured', method: 'baseline', periods: [] })).toEqual([]);
    });

    it('period sums equal the sum of the stored hours, for rewrites and periods cut anywhere in a day', () => {
      const hourRow = fc.record({
        hour: fc.integer({ min: 0, max: 24 * 6 }),
        spaceId: fc.constantFrom('lobby', 'garage'),
        endUse: fc.constantFrom('lighting' as const, 'hvac' as const),
        avoidedKWh: fc.integer({ min: -50, max: 50 }),
        baselineVersion: fc.constantFrom('towt@1', 'towt@2'),
      });
      const period = fc
        .tuple(fc.integer({ min: 0, max: 24 * 7 }), fc.integer({ min: 1, max: 24 * 3 }))
        .map(([from, length]) => ({ fromMs: from * H, toMs: (from + length) * H }));
      fc.assert(
        fc.property(fc.array(fc.array(hourRow, { maxLength: 40 }), { maxLength: 3 }), period, (batches, p) =>
          withStore(factory, (s) => {
            // Later batches rewrite some hours of earlier ones, as a recomputed roll-up does.
            for (const batch of batches)
              s.upsertLedger(
                batch.map((r) =>
                  row(r.hour, {
                    ...r,
                    baselineKWh: 100,
                    measuredKWh: 100 - r.avoidedKWh,
                    cost: r.avoidedKWh / 2,
                  }),
                ),
              );
            const stored = s.ledgerRows({
              kind: 'measured',
              method: 'baseline',
              fromMs: p.fromMs,
              toMs: p.toMs,
            });
            const totals = s.sumLedgerByPeriod({
              kind: 'measured',
              method: 'baseline',
              siteId: 's1',
              periods: [p],
            });
            const expected = new Map<string, { hours: number; avoided: number; versions: Set<string> }>();
            for (const r of stored) {
              const key = `${r.spaceId}|${r.endUse}`;
              const e = expected.get(key) ?? { hours: 0, avoided: 0, versions: new Set<string>() };
              e.hours++;
              e.avoided += r.avoidedKWh;
              e.versions.add(r.baselineVersion);
              expected.set(key, e);
            }
            expect(totals.length).toBe(expected.size);
            for (const t of totals) {
              const e = expected.get(`${t.spaceId}|${t.endUse}`);
              expect(t.hours).toBe(e?.hours);
              expect(t.avoidedKWh).toBeCloseTo(e?.avoided ?? Number.NaN, 9);
              expect(t.cost).toBeCloseTo((e?.avoided ?? Number.NaN) / 2, 9);
              expect(t.versions).toEqual([...(e?.versions ?? [])].sort());
            }
          })(),
        ),
        { numRuns: 60 },
      );
    });

    test('refuses a currency that is not an ISO 4217 code', (s) => {
      expect(() => s.upsertLedger([row(1, { currency: 'yuan' })])).toThrow(/currency/);
    });

    test('refuses a non-finite figure and writes nothing of its batch', (s) => {
      expect(() => s.upsertLedger([row(1), row(2, { avoidedKWh: Number.NaN })])).toThrow(/avoidedKWh/);
      expect(s.ledgerRows({ kind: 'measured', method: 'baseline', ...week })).toEqual([]);
    });
  });
}
