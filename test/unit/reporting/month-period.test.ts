import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { KGCE_PER_KWH, kgceOf } from '../../../src/domain/reporting/kgce.js';
import {
  formatReportMonth,
  monthAt,
  monthPeriod,
  parseReportMonth,
} from '../../../src/domain/reporting/month-period.js';

const SH = 'Asia/Shanghai';
const local = (iso: string, zone = SH) => DateTime.fromISO(iso, { zone }).toMillis();

describe('reporting month', () => {
  it('parses YYYY-MM and refuses anything else', () => {
    expect(parseReportMonth('2026-06')).toEqual({ year: 2026, month: 6 });
    for (const bad of ['2026-13', '2026-6', '2026-00', '26-06', '2026-06-01', ''])
      expect(parseReportMonth(bad), bad).toBeUndefined();
    expect(formatReportMonth({ year: 2026, month: 6 })).toBe('2026-06');
  });

  it('is the calendar month at local midnight with reading day 1', () => {
    const p = monthPeriod({ year: 2026, month: 6 }, 1, SH);
    expect(p.fromMs).toBe(local('2026-06-01T00:00'));
    expect(p.toMs).toBe(local('2026-07-01T00:00'));
    expect([p.fromDate, p.toDate]).toEqual(['2026-06-01', '2026-07-01']);
  });

  it('runs from the reading day to the next month’s reading day, across a year end', () => {
    const p = monthPeriod({ year: 2026, month: 12 }, 20, SH);
    expect([p.fromDate, p.toDate]).toEqual(['2026-12-20', '2027-01-20']);
    expect(p.toMs - p.fromMs).toBe(31 * 24 * 3_600_000);
  });

  it('keeps local midnights across a DST change (one hour shorter in March in Berlin)', () => {
    const p = monthPeriod({ year: 2026, month: 3 }, 1, 'Europe/Berlin');
    expect(p.toMs - p.fromMs).toBe((31 * 24 - 1) * 3_600_000);
  });

  it('refuses reading days that some months lack', () => {
    expect(() => monthPeriod({ year: 2026, month: 2 }, 29, SH)).toThrow(/1\.\.28/);
    expect(() => monthPeriod({ year: 2026, month: 2 }, 0, SH)).toThrow(/1\.\.28/);
  });

  it('finds the month holding an instant, before and after the reading day', () => {
    expect(monthAt(local('2026-06-19T23:59'), 20, SH)).toEqual({ year: 2026, month: 5 });
    expect(monthAt(local('2026-06-20T00:00'), 20, SH)).toEqual({ year: 2026, month: 6 });
    expect(monthAt(local('2026-01-05T08:00'), 10, SH)).toEqual({ year: 2025, month: 12 });
    // An instant is in the period of the month monthAt names.
    const at = local('2026-03-31T23:30');
    const p = monthPeriod(monthAt(at, 15, SH), 15, SH);
    expect(at).toBeGreaterThanOrEqual(p.fromMs);
    expect(at).toBeLessThan(p.toMs);
  });
});

describe('kgce', () => {
  it('converts kWh at the equivalent value 0.1229 kgce/kWh', () => {
    expect(KGCE_PER_KWH).toBe(0.1229);
    expect(kgceOf(1000)).toBeCloseTo(122.9, 9);
    expect(kgceOf(0)).toBe(0);
  });
});
