import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ExportFormat,
  type ExportRecord,
  ImportDataError,
  readExportRows,
} from '../../../src/services/history-import/read-rows.js';
import { spansToIntervals } from '../../../src/services/history-import/to-intervals.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const NOW = Date.UTC(2026, 0, 1);
const parseTime = (text: string): number =>
  text.trim() === '' ? Number.NaN : Date.parse(`${text.replace(' ', 'T')}Z`);

const simple: ExportFormat = {
  kind: 'interval',
  layout: 'simple',
  timeColumn: 'timestamp',
  valueColumn: 'kWh',
  unit: 'kWh',
  hourEnding: false,
  zeroMeansMissing: false,
  multiplier: 1,
  maxGapMinutes: 60,
};
const register: ExportFormat = {
  ...simple,
  kind: 'register',
  layout: 'register',
  valueColumn: 'registerKWh',
};
const target = { meterId: 'm', siteId: 's', spaceId: 'lobby', endUse: 'lighting' as const };

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
function records(rows: [number, string][]): ExportRecord[] {
  return rows.map(([ms, v], i) => ({ line: i + 2, cells: [iso(ms), v] }));
}
function read(rows: [number, string][], format = simple, nowMs = NOW) {
  return readExportRows(['timestamp', format.valueColumn], records(rows), format, parseTime, nowMs);
}
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ImportDataError) return [...error.problems];
    throw error;
  }
  return [];
}
const sum = (xs: readonly (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

describe('reading an interval export', () => {
  it('turns hourly rows into 60-minute rows and quarters split by time', () => {
    const r = read([
      [T0, '4'],
      [T0 + H, '8'],
    ]);
    expect(r.stepMinutes).toBe(60);
    const rows = spansToIntervals(r.spans, target);
    const hours = rows.filter((x) => x.minutes === 60);
    expect(hours.map((x) => [x.startMs - T0, x.energyKWh, x.coverage])).toEqual([
      [0, 4, 1],
      [H, 8, 1],
    ]);
    expect(rows.filter((x) => x.minutes === 15).map((x) => x.energyKWh)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('sums 15-minute rows into hours; marks an empty value and an absent row missing, never zero', () => {
    const q = 15 * 60_000;
    const r = read([
      [T0, '1'],
      [T0 + q, ''],
      [T0 + 2 * q, '1'],
      [T0 + 3 * q, '1'],
      [T0 + 5 * q, '2'], // the row at T0 + 4q is absent
      [T0 + 6 * q, '2'],
      [T0 + 7 * q, '2'],
    ]);
    expect(r.missingRows).toBe(1);
    const rows = spansToIntervals(r.spans, target);
    const quarters = rows.filter((x) => x.minutes === 15);
    expect(quarters.map((x) => x.missing)).toEqual([false, true, false, false, true, false, false, false]);
    expect(quarters[1]?.energyKWh).toBeNull();
    const hours = rows.filter((x) => x.minutes === 60);
    expect(hours.map((x) => [x.energyKWh, x.coverage, x.missing])).toEqual([
      [3, 0.75, false],
      [6, 0.75, false],
    ]);
  });

  it('shifts hour-ending stamps back one step, converts kW means, and honours zero-means-missing', () => {
    const r = read(
      [
        [T0 + H, '2'],
        [T0 + 2 * H, '0'],
      ],
      { ...simple, hourEnding: true, unit: 'kW', zeroMeansMissing: true },
    );
    const hours = spansToIntervals(r.spans, target).filter((x) => x.minutes === 60);
    expect(hours.map((x) => [x.startMs - T0, x.energyKWh])).toEqual([
      [0, 2],
      [H, null],
    ]);
  });

  it('keeps energy whatever the grid (property): 15- and 60-minute sums equal the file total', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(5, 15, 30, 60),
        fc.array(fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }), {
          minLength: 2,
          maxLength: 60,
        }),
        (step, values) => {
          const rows: [number, string][] = values.map((v, i) => [
            T0 + i * step * 60_000,
            v === null ? '' : String(v / 100),
          ]);
          const out = spansToIntervals(read(rows).spans, target);
          const total = sum(values.map((v) => (v === null ? null : v / 100)));
          for (const minutes of [15, 60]) {
            const got = sum(out.filter((x) => x.minutes === minutes).map((x) => x.energyKWh));
            expect(Math.abs(got - total)).toBeLessThan(1e-9);
          }
          expect(out.every((x) => x.coverage >= 0 && x.coverage <= 1)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('reading a register export', () => {
  it('differences readings, marks decreases and long gaps missing', () => {
    const r = read(
      [
        [T0, '100'],
        [T0 + H, '103'],
        [T0 + 2 * H, '2'], // reset
        [T0 + 3 * H, '5'],
        [T0 + 6 * H, '11'], // 3 h gap > maxGapMinutes 60
        [T0 + 7 * H, '12.5'],
      ],
      register,
    );
    expect(r.resets).toBe(1);
    const hours = spansToIntervals(r.spans, target).filter((x) => x.minutes === 60);
    expect(hours.map((x) => x.energyKWh)).toEqual([3, null, 3, null, null, null, 1.5]);
  });
});

describe('errors name the line and the field, and nothing is read', () => {
  it('reports every bad row', () => {
    const p = problems(() =>
      read([
        [T0, '1'],
        [T0 + H, 'abc'],
        [T0 + 2 * H, '-2'],
        [T0 + 3 * H, '1'],
      ]),
    );
    expect(p).toEqual([
      'line 3, field kWh: "abc" is not a number',
      'line 4, field kWh: -2 is negative; interval energy is never below zero',
    ]);
    const recs: ExportRecord[] = [
      { line: 2, cells: ['2024-01-01 00:00', '1'] },
      { line: 3, cells: ['2024-13-01 00:00', '1'] },
      { line: 5, cells: ['2024-01-01 00:00', '1'] },
      { line: 6, cells: ['2027-01-01 00:00', '1'] },
    ];
    const t = problems(() => readExportRows(['timestamp', 'kWh'], recs, simple, parseTime, NOW));
    expect(t[0]).toMatch(/^line 3, field timestamp: "2024-13-01 00:00" is not a time/);
    expect(t[1]).toBe(
      'line 5, field timestamp: "2024-01-01 00:00" repeats the time on line 2; rows must be in time order without repeats',
    );
    expect(t[2]).toBe('line 6, field timestamp: "2027-01-01 00:00" is in the future');
  });

  it('refuses daily totals, a missing column and a file with one row', () => {
    expect(
      problems(() =>
        read([
          [T0, '1'],
          [T0 + 24 * H, '1'],
        ]),
      )[0],
    ).toMatch(/1440 minutes apart/);
    expect(problems(() => readExportRows(['time', 'kWh'], [], simple, parseTime, NOW))[0]).toMatch(
      /^line 1: no column "timestamp"/,
    );
    expect(problems(() => read([[T0, '1']]))[0]).toMatch(/1 data row/);
  });
});
