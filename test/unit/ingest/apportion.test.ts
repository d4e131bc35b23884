import { describe, expect, it } from 'vitest';
import { apportion, intervalStartMs, intervalsTouched } from '../../../src/domain/ingest/apportion.js';
import { IntervalDeltas, type MeterRef } from '../../../src/domain/ingest/interval-rows.js';
import { MIN } from './fixtures.js';

const H = Date.parse('2024-06-01T10:00:00Z');
const REF: MeterRef = { meterId: 'm1', siteId: 's1', spaceId: 'lobby', endUse: 'lighting' };

describe('apportioning', () => {
  it('spreads energy uniformly over the 15-minute intervals a span crosses', () => {
    // 10:10 to 10:40: 5 min in 10:00, 15 in 10:15, 10 in 10:30.
    const shares = apportion(H + 10 * MIN, H + 40 * MIN, 3, 15);
    expect(shares.map((s) => s.startMs)).toEqual([H, H + 15 * MIN, H + 30 * MIN]);
    expect(shares.map((s) => s.energyKWh)).toEqual([0.5, 1.5, 1]);
    expect(shares.map((s) => s.coverage)).toEqual([5 / 15, 1, 10 / 15]);
  });

  it('splits across an hour boundary into hourly intervals', () => {
    const shares = apportion(H + 45 * MIN, H + 75 * MIN, 2, 60);
    expect(shares).toEqual([
      { startMs: H, energyKWh: 1, coverage: 0.25 },
      { startMs: H + 60 * MIN, energyKWh: 1, coverage: 0.25 },
    ]);
  });

  it('a span ending exactly on a boundary does not touch the next interval', () => {
    expect(intervalsTouched(H, H + 15 * MIN, 15)).toEqual([H]);
    expect(apportion(H, H, 1, 15)).toEqual([]);
  });

  it('aligns to UTC, which is local alignment in Asia/Shanghai (UTC+8) for 15 and 60 minutes', () => {
    const local = Date.parse('2024-06-01T18:07:00+08:00');
    expect(new Date(intervalStartMs(local, 60)).toISOString()).toBe('2024-06-01T10:00:00.000Z');
    expect(new Date(intervalStartMs(local, 15)).toISOString()).toBe('2024-06-01T10:00:00.000Z');
  });
});

describe('interval deltas', () => {
  it('books a data span into 15- and 60-minute rows with coverage', () => {
    const d = new IntervalDeltas();
    d.addSpans(REF, [], [{ startMs: H + 50 * MIN, endMs: H + 70 * MIN, energyKWh: 2, gap: false }]);
    const rows = d.drain();
    const by = (m: number) =>
      rows.filter((r) => r.minutes === m).map((r) => [r.startMs - H, r.energyKWh, r.coverage]);
    expect(by(15)).toEqual([
      [45 * MIN, 1, 10 / 15],
      [60 * MIN, 1, 10 / 15],
    ]);
    expect(by(60)).toEqual([
      [0, 1, 10 / 60],
      [60 * MIN, 1, 10 / 60],
    ]);
    expect(rows.every((r) => r.siteId === 's1' && r.spaceId === 'lobby' && r.endUse === 'lighting')).toBe(
      true,
    );
  });

  it('marks every interval a gap touches missing, never zero', () => {
    const d = new IntervalDeltas();
    d.addSpans(REF, [], [{ startMs: H + 10 * MIN, endMs: H + 100 * MIN, energyKWh: 4, gap: true }]);
    const rows = d.drain().filter((r) => r.minutes === 15);
    expect(rows.map((r) => (r.startMs - H) / MIN)).toEqual([0, 15, 30, 45, 60, 75, 90]);
    expect(rows.every((r) => r.missing && r.energyKWh === null && r.coverage === 0)).toBe(true);
  });

  it('re-splitting a span moves energy without changing coverage or the total', () => {
    const d = new IntervalDeltas();
    const old = { startMs: H, endMs: H + 30 * MIN, energyKWh: 3, gap: false };
    d.addSpans(
      REF,
      [old],
      [
        { startMs: H, endMs: H + 10 * MIN, energyKWh: 2.5, gap: false },
        { startMs: H + 10 * MIN, endMs: H + 30 * MIN, energyKWh: 0.5, gap: false },
      ],
    );
    const rows = d.drain().filter((r) => r.minutes === 15);
    // 10:00: 2.5 + 0.125 - 1.5 = 1.125; 10:15: 0.375 - 1.5 = -1.125.
    expect(rows.map((r) => [r.startMs - H, r.energyKWh, r.coverage])).toEqual([
      [0, 1.125, 0],
      [15 * MIN, -1.125, 0],
    ]);
  });
});
