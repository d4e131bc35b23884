import { describe, expect, it } from 'vitest';
import { g14Uncertainty } from '../../../src/domain/savings/uncertainty.js';
import type { LedgerRow } from '../../../src/ports/stores.js';
import { serializeBaseline } from '../../../src/services/modelling/baseline-record.js';
import { cutPeriods } from '../../../src/services/reporting/report-periods.js';
import { LedgerSavingsView } from '../../../src/services/reporting/savings-view.js';
import { estimateKey } from '../../../src/services/savings/estimates.js';
import { createMemoryStores } from '../../helpers/fakes/index.js';

const H = 3_600_000;
// 2026-03-01T00:00 in Shanghai (UTC+8, no DST).
const MARCH = Date.parse('2026-02-28T16:00:00Z');

function rows(
  spaceId: string,
  endUse: LedgerRow['endUse'],
  fromMs: number,
  hours: number,
  extra: Partial<LedgerRow> = {},
) {
  return Array.from(
    { length: hours },
    (_, i): LedgerRow => ({
      hourStartMs: fromMs + i * H,
      siteId: 'maple',
      spaceId,
      endUse,
      baselineKWh: 4,
      measuredKWh: 3,
      avoidedKWh: 1,
      cost: 0.5,
      currency: 'CNY',
      co2Kg: 0.6,
      kind: 'measured',
      method: 'randomized',
      baselineVersion: 'maple:v1:2026-02-01:30d-to-2026-03-02',
      ...extra,
    }),
  );
}

function view(pct = 10) {
  const stores = createMemoryStores();
  const v = new LedgerSavingsView({
    ledger: stores.ledger,
    settings: stores.settings,
    models: stores.models,
    config: () => ({ sites: [{ id: 'maple', timezone: 'Asia/Shanghai' }], provisionalHalfWidthPct: pct }),
  });
  return { stores, v };
}

function storeEstimate(
  settings: { set(k: string, v: string): void },
  series: string,
  low: number,
  high: number,
) {
  settings.set(
    estimateKey(series, 'maple:v1:2026-02-01'),
    JSON.stringify({
      designId: 'maple:v1:2026-02-01',
      version: 'maple:v1:2026-02-01:30d-to-2026-03-02',
      savingsShare: 0.25,
      treatedDays: 20,
      controlDays: 10,
      intervals: [
        { confidence: 0.68, lowShare: 0.24, highShare: 0.26 },
        { confidence: 0.9, lowShare: low, highShare: high },
      ],
    }),
  );
}

describe('cutPeriods', () => {
  it('cuts days at local midnight, including the 23-hour day of a spring-forward', () => {
    const from = Date.parse('2026-03-28T00:00:00Z'); // London, still GMT
    const days = cutPeriods(from, from + 3 * 24 * H, 'day', 'Europe/London');
    expect(days.map((d) => (d.toMs - d.fromMs) / H)).toEqual([24, 23, 24, 1]);
    expect(days[3]?.toMs).toBe(from + 3 * 24 * H);
  });

  it('cuts months at the local first of the month and clips the ends to the range', () => {
    const months = cutPeriods(MARCH + 5 * 24 * H, MARCH + 40 * 24 * H, 'month', 'Asia/Shanghai');
    expect(months.map((m) => new Date(m.fromMs).toISOString())).toEqual([
      '2026-03-05T16:00:00.000Z',
      '2026-03-31T16:00:00.000Z',
    ]);
  });

  it('leaves the range whole for total, across months and a clock change', () => {
    const from = Date.parse('2026-03-20T00:00:00Z');
    const to = Date.parse('2026-05-03T12:34:00Z');
    expect(cutPeriods(from, to, 'total', 'Europe/London')).toEqual([{ fromMs: from, toMs: to }]);
    expect(cutPeriods(to, from, 'total', 'Europe/London')).toEqual([]);
  });
});

describe('LedgerSavingsView', () => {
  it('sums series, spaces and the community per month, with the randomized interval in quadrature', () => {
    const { stores, v } = view();
    stores.ledger.upsertLedger([
      ...rows('lobby', 'lighting', MARCH, 10),
      ...rows('gym', 'hvac', MARCH, 20, { baselineKWh: 8, measuredKWh: 6, avoidedKWh: 2 }),
    ]);
    storeEstimate(stores.settings, 'maple/lobby/lighting', 0.2, 0.3);
    storeEstimate(stores.settings, 'maple/gym/hvac', 0.2, 0.3);
    const figures = v.savings({ fromMs: MARCH, toMs: MARCH + 31 * 24 * H, granularity: 'month' });
    const community = figures.find((f) => f.spaceId === undefined && f.endUse === undefined);
    expect(community).toMatchObject({ kind: 'measured', method: 'randomized', currency: 'CNY', hours: 20 });
    expect(community?.avoidedKWh).toBeCloseTo(10 + 40, 9);
    expect(community?.baselineKWh).toBeCloseTo(40 + 160, 9);
    expect(community?.cost).toBeCloseTo(15, 9);
    // Half-widths 0.05 x 40 and 0.05 x 160 kWh, added in quadrature.
    const hw = Math.hypot(0.05 * 40, 0.05 * 160);
    expect(community?.interval?.lowKWh).toBeCloseTo(50 - hw, 9);
    expect(community?.interval?.highKWh).toBeCloseTo(50 + hw, 9);
    expect(community?.interval).toMatchObject({ confidence: 0.9, method: 'randomized-t' });
    expect(community?.provenance).toEqual(['maple:v1:2026-02-01']);
    expect(community?.provisional).toBe(false);
    const lobby = figures.filter((f) => f.spaceId === 'lobby');
    expect(lobby.map((f) => f.endUse)).toEqual([undefined, 'lighting']);
  });

  it('labels a figure provisional while its half-width is wider than the configured share', () => {
    const { stores, v } = view(4);
    stores.ledger.upsertLedger(rows('lobby', 'lighting', MARCH, 10));
    storeEstimate(stores.settings, 'maple/lobby/lighting', 0.2, 0.3);
    const [f] = v.savings({
      fromMs: MARCH,
      toMs: MARCH + 24 * H,
      granularity: 'day',
      spaceId: 'lobby',
      endUse: 'lighting',
    });
    expect(f?.provisional).toBe(true);
  });

  it('has no interval, and is provisional, without an estimate matching the rows', () => {
    const { stores, v } = view();
    stores.ledger.upsertLedger(rows('lobby', 'lighting', MARCH, 10));
    const [f] = v.savings({ fromMs: MARCH, toMs: MARCH + 24 * H, granularity: 'day', endUse: 'lighting' });
    expect(f?.interval).toBeUndefined();
    expect(f?.provisional).toBe(true);
  });

  it('never sums measured with estimated, and counts only the total meter of a space that has one', () => {
    const { stores, v } = view();
    stores.ledger.upsertLedger([
      ...rows('lobby', 'total', MARCH, 5, { avoidedKWh: 3 }),
      ...rows('lobby', 'lighting', MARCH, 5, { avoidedKWh: 2 }),
      ...rows('gym', 'hvac', MARCH, 5, { kind: 'estimated', avoidedKWh: 7 }),
    ]);
    const figures = v.savings({ fromMs: MARCH, toMs: MARCH + 24 * H, granularity: 'day' });
    const community = figures.filter((f) => f.spaceId === undefined);
    expect(community.map((f) => [f.kind, f.avoidedKWh])).toEqual([
      ['estimated', 35],
      ['measured', 15],
    ]);
    const lobbyWhole = figures.find((f) => f.spaceId === 'lobby' && f.endUse === undefined);
    expect(lobbyWhole?.avoidedKWh).toBe(15);
  });

  it('cuts hours and days in the site time zone and leaves periods without rows out', () => {
    const { stores, v } = view();
    stores.ledger.upsertLedger(rows('lobby', 'lighting', MARCH + 23 * H, 2));
    const days = v.savings({
      fromMs: MARCH,
      toMs: MARCH + 3 * 24 * H,
      granularity: 'day',
      spaceId: 'lobby',
      endUse: 'lighting',
    });
    expect(days.map((d) => [d.periodStartMs, d.hours])).toEqual([
      [MARCH, 1],
      [MARCH + 24 * H, 1],
    ]);
    const hours = v.savings({
      fromMs: MARCH,
      toMs: MARCH + 24 * H,
      granularity: 'hour',
      spaceId: 'lobby',
      endUse: 'lighting',
    });
    expect(hours.map((d) => d.periodStartMs)).toEqual([MARCH + 23 * H]);
  });

  it('gives baseline figures the Guideline 14 interval of their model over the figure hours', () => {
    const { stores, v } = view();
    const saved = stores.models.saveModel({
      siteId: 'maple',
      spaceId: 'lobby',
      endUse: 'lighting',
      modelKind: 'baseline',
      createdAtMs: 0,
      json: serializeBaseline({
        format: 'quietwatt.baseline',
        version: 1,
        spaceId: 'lobby',
        endUse: 'lighting',
        baselineVersion: 'towt-none:x',
        timeZone: 'Asia/Shanghai',
        calendarId: 'none',
        trainStartMs: 0,
        trainEndMs: 8760 * H,
        unusable: [],
        heldOutRmsError: 0.05,
        cvRmseInSample: 0.2,
        nBaseline: 8000,
        rho: 0.5,
        params: { kind: 'towt', p: 170 } as never,
      }),
    });
    const version = `towt-none:x@${saved.version}`;
    stores.ledger.upsertLedger(
      rows('lobby', 'lighting', MARCH, 48, { method: 'baseline', baselineVersion: version }),
    );
    const [f] = v.savings({
      fromMs: MARCH,
      toMs: MARCH + 31 * 24 * H,
      granularity: 'month',
      endUse: 'lighting',
      spaceId: 'lobby',
    });
    const expected = g14Uncertainty(
      {
        cvRmse: 0.2,
        nBaseline: 8000,
        parameters: 170,
        rho: 0.5,
        mReporting: 48,
        adjustedBaselineKWh: 4 * 48,
        savingsKWh: 0,
      },
      [0.9],
    ).intervals[0]?.halfWidthKWh as number;
    expect(expected).toBeGreaterThan(0);
    expect(f?.interval?.method).toBe('ashrae-g14-fractional-savings');
    expect(f?.interval?.highKWh).toBeCloseTo(48 + expected, 9);
    expect(f?.interval?.lowKWh).toBeCloseTo(48 - expected, 9);
    expect(f?.provenance).toEqual([version]);
    expect(f?.provisional).toBe((100 * expected) / (4 * 48) > 10);
  });

  it('total: one figure for the whole range, its randomized interval on the range baseline', () => {
    const { stores, v } = view();
    // 20 days from 20 March: 12 in March, 8 in April.
    stores.ledger.upsertLedger(rows('lobby', 'lighting', MARCH + 19 * 24 * H, 20 * 24));
    storeEstimate(stores.settings, 'maple/lobby/lighting', 0.2, 0.3);
    const range = { fromMs: MARCH, toMs: MARCH + 61 * 24 * H, spaceId: 'lobby', endUse: 'lighting' as const };
    const months = v.savings({ ...range, granularity: 'month' });
    expect(months).toHaveLength(2);
    const [total, ...more] = v.savings({ ...range, granularity: 'total' });
    expect(more).toEqual([]);
    expect(total).toMatchObject({ periodStartMs: range.fromMs, periodEndMs: range.toMs, hours: 480 });
    expect(total?.avoidedKWh).toBeCloseTo(480, 9);
    // The share interval on the whole baseline (0.05 x 1920 kWh): wider than the months' in
    // quadrature, which would wrongly treat them as independent.
    expect(total?.interval?.highKWh).toBeCloseTo(480 + 0.05 * 1920, 9);
    expect(total?.interval?.lowKWh).toBeCloseTo(480 - 0.05 * 1920, 9);
    expect(total?.interval?.method).toBe('randomized-t');
  });

  it('total: a baseline figure gets the Guideline 14 interval over all the range hours', () => {
    const { stores, v } = view();
    const saved = stores.models.saveModel({
      siteId: 'maple',
      spaceId: 'lobby',
      endUse: 'lighting',
      modelKind: 'baseline',
      createdAtMs: 0,
      json: serializeBaseline({
        format: 'quietwatt.baseline',
        version: 1,
        spaceId: 'lobby',
        endUse: 'lighting',
        baselineVersion: 'towt-none:x',
        timeZone: 'Asia/Shanghai',
        calendarId: 'none',
        trainStartMs: 0,
        trainEndMs: 8760 * H,
        unusable: [],
        heldOutRmsError: 0.05,
        cvRmseInSample: 0.2,
        nBaseline: 8000,
        rho: 0.5,
        params: { kind: 'towt', p: 170 } as never,
      }),
    });
    const version = `towt-none:x@${saved.version}`;
    // 40 days from 20 March: across the month end.
    stores.ledger.upsertLedger(
      rows('lobby', 'lighting', MARCH + 19 * 24 * H, 40 * 24, {
        method: 'baseline',
        baselineVersion: version,
      }),
    );
    const [f] = v.savings({
      fromMs: MARCH,
      toMs: MARCH + 92 * 24 * H,
      granularity: 'total',
      endUse: 'lighting',
      spaceId: 'lobby',
    });
    const expected = g14Uncertainty(
      {
        cvRmse: 0.2,
        nBaseline: 8000,
        parameters: 170,
        rho: 0.5,
        mReporting: 960,
        adjustedBaselineKWh: 4 * 960,
        savingsKWh: 0,
      },
      [0.9],
    ).intervals[0]?.halfWidthKWh as number;
    expect(f?.hours).toBe(960);
    expect(f?.interval?.method).toBe('ashrae-g14-fractional-savings');
    expect(f?.interval?.highKWh).toBeCloseTo(960 + expected, 9);
    expect(f?.interval?.lowKWh).toBeCloseTo(960 - expected, 9);
  });
});
