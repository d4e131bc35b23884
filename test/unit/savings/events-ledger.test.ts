import { describe, expect, it } from 'vitest';
import { avoidedEnergy } from '../../../src/domain/savings/avoided.js';
import { adjustBaseline, excludedHours, withExclusions } from '../../../src/domain/savings/events.js';
import { buildLedgerRows, totalOfKind, totalsByKind } from '../../../src/domain/savings/ledger.js';
import { largestLevelShift } from '../../../src/domain/savings/level-shift.js';
import { CN_NATIONAL_GRID_2022, SHANGHAI_TOU_EXAMPLE } from '../../../src/domain/tariff/presets.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 6, 15, 4); // 12:00 in Shanghai, summer critical peak

describe('avoided energy', () => {
  it('is baseline minus measured per hour; missing hours are skipped, not zero', () => {
    const s = avoidedEnergy([
      { startMs: T0, measuredKWh: 8, baselineKWh: 10 },
      { startMs: T0 + H, measuredKWh: null, baselineKWh: 10 },
      { startMs: T0 + 2 * H, measuredKWh: 11, baselineKWh: 10 },
    ]);
    expect(s.hours.map((h) => h.avoidedKWh)).toEqual([2, -1]);
    expect(s.missingHours).toBe(1);
    expect(s.avoidedKWh).toBe(1);
    expect(s.savingsFraction).toBeCloseTo(0.05, 12);
  });
});

describe('operator events', () => {
  const ts = [0, H, 2 * H, 3 * H];
  it('exclusions are half-open and become missing readings', () => {
    const events = [{ kind: 'exclude', fromMs: H, toMs: 3 * H, note: 'meter swap' }] as const;
    expect(excludedHours(ts, events)).toEqual([false, true, true, false]);
    expect(withExclusions(ts, [1, 2, 3, 4], events)).toEqual([1, null, null, 4]);
  });
  it('adjustments add shares first, then kWh, only while in force', () => {
    const adjusted = adjustBaseline(
      ts,
      [10, 10, 10, 10],
      [
        { kind: 'adjust', fromMs: H, shareOfBaseline: 0.1, note: 'longer hours' },
        { kind: 'adjust', fromMs: 2 * H, toMs: 3 * H, kWhPerHour: 2, note: 'temporary heater' },
      ],
    );
    expect(adjusted).toEqual([10, 11, 13, 11]);
  });
});

describe('level shift', () => {
  it('finds the split and its size', () => {
    const s = largestLevelShift([0.01, -0.01, 0.02, 0, -0.3, -0.31, -0.29, -0.3], 3);
    expect(s?.splitIndex).toBe(4);
    expect(s?.step).toBeCloseTo(-0.305, 10);
    expect(Math.abs(s?.t ?? 0)).toBeGreaterThan(20);
  });
  it('needs enough values on both sides', () => {
    expect(largestLevelShift([1, 2, 3, 4, 5], 3)).toBeNull();
  });
});

describe('savings ledger', () => {
  const hours = [
    { startMs: T0, baselineKWh: 10, measuredKWh: 8, avoidedKWh: 2 },
    { startMs: T0 + 10 * H, baselineKWh: 10, measuredKWh: 9, avoidedKWh: 1 }, // 22:00, valley
  ];
  const ctx = {
    siteId: 'site-a',
    spaceId: 'lobby',
    endUse: 'lighting',
    method: 'baseline',
    baselineVersion: 'towt-none:2023',
    tariff: SHANGHAI_TOU_EXAMPLE,
    emissionFactor: CN_NATIONAL_GRID_2022,
    timeZone: 'Asia/Shanghai',
  } as const;

  it('prices each hour at its period and the site grid factor', () => {
    const rows = buildLedgerRows(hours, { ...ctx, kind: 'measured' });
    expect(rows[0]?.cost).toBeCloseTo(2 * 1.26, 10);
    expect(rows[1]?.cost).toBeCloseTo(1 * 0.31, 10);
    expect(rows[0]?.co2Kg).toBeCloseTo(2 * 0.5703, 10);
  });

  it('keeps measured and estimated totals apart and refuses to mix them', () => {
    const measured = buildLedgerRows(hours, { ...ctx, kind: 'measured' });
    const estimated = buildLedgerRows(hours.slice(0, 1), { ...ctx, kind: 'estimated' });
    const t = totalsByKind([...measured, ...estimated]);
    expect(t.measured.avoidedKWh).toBe(3);
    expect(t.estimated.avoidedKWh).toBe(2);
    expect(t.measured.hours).toBe(2);
    expect(() => totalOfKind([...measured, ...estimated], 'measured')).toThrow(/never mix/);
    expect(totalOfKind(measured, 'measured').cost).toBeCloseTo(2.52 + 0.31, 10);
  });
});
