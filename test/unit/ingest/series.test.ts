import { describe, expect, it } from 'vitest';
import { stepMeter } from '../../../src/domain/ingest/meter-step.js';
import {
  EMPTY_SERIES,
  type InsertResult,
  insertReading,
  parseSeriesState,
  type SeriesState,
  serializeSeriesState,
} from '../../../src/domain/ingest/series.js';
import type { SeriesRules, Span } from '../../../src/domain/ingest/span.js';
import { MIN, rules } from './fixtures.js';

const T0 = Date.parse('2024-06-01T00:00:00Z');

/** Feeds points in order; returns the final state and every span change. */
function feed(points: [number, number][], r: SeriesRules = rules()) {
  let state: SeriesState = EMPTY_SERIES;
  const results: InsertResult[] = [];
  for (const [minute, value] of points) {
    const result = insertReading(state, { tsMs: T0 + minute * MIN, value }, r);
    results.push(result);
    if ('state' in result) state = result.state;
  }
  return { state, results };
}

function totalOf(spans: readonly Span[], gaps = false) {
  return spans.filter((s) => s.gap === gaps).reduce((sum, s) => sum + s.energyKWh, 0);
}

function net(results: InsertResult[]) {
  let data = 0;
  let lump = 0;
  for (const r of results) {
    if (!('added' in r)) continue;
    data += totalOf(r.added) - totalOf(r.removed);
    lump += totalOf(r.added, true) - totalOf(r.removed, true);
  }
  return { data, lump };
}

describe('register series', () => {
  it('differences in-order readings', () => {
    const { results } = feed([
      [0, 100],
      [5, 100.5],
      [10, 101.25],
    ]);
    expect(results.map((r) => r.kind)).toEqual(['first', 'appended', 'appended']);
    expect(net(results).data).toBeCloseTo(1.25, 12);
  });

  it('ignores a duplicate (same time, same value) and refuses a conflicting one', () => {
    const { results } = feed([
      [0, 100],
      [5, 101],
      [5, 101],
      [5, 102],
    ]);
    expect(results[2]?.kind).toBe('duplicate');
    const conflict = results[3];
    expect(conflict?.kind === 'rejected' && conflict.rejection.reason).toBe('conflicting-duplicate');
  });

  it('places a late reading between its neighbours and re-splits only that span', () => {
    const { results, state } = feed([
      [0, 100],
      [20, 102],
      [10, 100.5],
    ]);
    const late = results[2];
    if (late?.kind !== 'inserted') throw new Error(`expected inserted, got ${late?.kind}`);
    expect(late.removed).toEqual([{ startMs: T0, endMs: T0 + 20 * MIN, energyKWh: 2, gap: false }]);
    expect(late.added.map((s) => s.energyKWh)).toEqual([0.5, 1.5]);
    expect(net(results).data).toBeCloseTo(2, 12);
    expect(state.entries.map((e) => e.value)).toEqual([100, 100.5, 102]);
  });

  it('prepends a reading older than all, until readings have left the window', () => {
    const r = rules({ windowSize: 3 });
    const early = feed(
      [
        [10, 101],
        [0, 100],
      ],
      r,
    );
    expect(early.results[1]?.kind).toBe('prepended');
    const { results, state } = feed(
      [
        [0, 100],
        [5, 101],
        [10, 102],
        [15, 103],
        [2, 100.4],
        [1, 100.2],
      ],
      r,
    );
    expect(state.sealed).toBe(true);
    expect(state.entries.map((e) => e.tsMs)).toEqual([5, 10, 15].map((m) => T0 + m * MIN));
    const tooLate = results[4];
    expect(tooLate?.kind === 'rejected' && tooLate.rejection.reason).toBe('too-late');
    expect(results[5]?.kind).toBe('rejected');
  });

  it('counts a drop as a reset whose energy is the new value', () => {
    const { results } = feed([
      [0, 500],
      [5, 500.2],
      [10, 0.1],
      [15, 0.3],
    ]);
    const reset = results[2];
    if (reset?.kind !== 'appended') throw new Error('expected appended');
    expect(reset.added[0]).toMatchObject({ energyKWh: 0.1, event: 'reset', gap: false });
    expect(net(results).data).toBeCloseTo(0.2 + 0.1 + 0.2, 9);
  });

  it('wraps at rolloverKWh when the value drops near it', () => {
    const r = rules({ rolloverKWh: 10_000 });
    const { results } = feed(
      [
        [0, 9_999.5],
        [10, 0.25],
      ],
      r,
    );
    const wrap = results[1];
    if (wrap?.kind !== 'appended') throw new Error('expected appended');
    expect(wrap.added[0]?.event).toBe('rollover');
    expect(wrap.added[0]?.energyKWh).toBeCloseTo(0.75, 9);
    // Far from the rollover value, a drop is a reset.
    const drop = feed(
      [
        [0, 5_000],
        [10, 0.25],
      ],
      r,
    ).results[1];
    expect(drop?.kind === 'appended' && drop.added[0]?.event).toBe('reset');
  });

  it('rejects a rise implying more than maxPowerW as absurd-jump, and keeps going', () => {
    const r = rules({ maxPowerW: 10_000 });
    const { results, state } = feed(
      [
        [0, 100],
        [6, 101],
        [12, 99_999],
        [18, 102],
      ],
      r,
    );
    const absurd = results[2];
    expect(absurd?.kind === 'rejected' && absurd.rejection.reason).toBe('absurd-jump');
    expect(absurd?.kind === 'rejected' && absurd.rejection.detail).toMatch(
      /implies \d+ W, over maxPowerW 10000/,
    );
    expect(results[3]?.kind).toBe('appended');
    expect(state.entries.map((e) => e.value)).toEqual([100, 101, 102]);
  });

  it('a replaced meter starting far from zero gets no invented energy: the span is a gap', () => {
    const { results } = feed(
      [
        [0, 12_000],
        [5, 3_000],
        [10, 3_000.1],
      ],
      rules({ maxPowerW: 50_000 }),
    );
    const replaced = results[1];
    if (replaced?.kind !== 'appended') throw new Error('expected appended');
    expect(replaced.added[0]).toMatchObject({ energyKWh: 0, gap: true, event: 'replaced' });
    expect(net(results).data).toBeCloseTo(0.1, 9);
  });

  it('marks a span longer than maxGap as a gap with its energy as a lump', () => {
    const { results } = feed([
      [0, 100],
      [60, 101],
      [181, 104],
    ]);
    const gap = results[2];
    if (gap?.kind !== 'appended') throw new Error('expected appended');
    expect(gap.added[0]).toMatchObject({ gap: true, energyKWh: 3 });
    expect(net(results)).toEqual({ data: 1, lump: 3 });
  });

  it('a late reading inside a gap turns the part it closes into data', () => {
    const { results } = feed([
      [0, 100],
      [180, 106],
      [150, 105],
    ]);
    const late = results[2];
    if (late?.kind !== 'inserted') throw new Error('expected inserted');
    expect(late.added.map((s) => [s.gap, s.energyKWh])).toEqual([
      [true, 5],
      [false, 1],
    ]);
    const totals = net(results);
    expect(totals.data).toBeCloseTo(1, 12);
    expect(totals.lump).toBeCloseTo(5, 12);
  });

  it('integrates power meters by trapezoid', () => {
    const { results } = feed(
      [
        [0, 1000],
        [30, 3000],
        [60, 3000],
      ],
      rules({ kind: 'power' }),
    );
    // 0.5 h at a mean 2 kW + 0.5 h at 3 kW
    expect(net(results).data).toBeCloseTo(2.5, 12);
  });

  it('state round-trips through JSON', () => {
    const { state } = feed([
      [0, 100],
      [5, 0.5],
      [10, 1],
    ]);
    expect(parseSeriesState(JSON.stringify(state))).toEqual(state);
    expect(parseSeriesState(serializeSeriesState(state))).toEqual(state);
    expect(parseSeriesState('{"version":2}')).toBeUndefined();
    expect(parseSeriesState('{"v":2,"s":false,"e":[[1,2,3]]}')).toBeUndefined();
    expect(parseSeriesState('not json')).toBeUndefined();
  });

  it('the compact form keeps every span, gap and event, in about half the bytes', () => {
    const { state } = feed([
      [0, 100],
      [5, 0.5],
      [10, 1],
      [200, 1.5],
      [205, 0.2],
    ]);
    expect(state.entries.some((e) => e.span?.gap)).toBe(true);
    expect(state.entries.some((e) => e.span?.event !== undefined)).toBe(true);
    const compact = serializeSeriesState(state);
    expect(parseSeriesState(compact)).toEqual(state);
    expect(compact.length).toBeLessThan(JSON.stringify(state).length * 0.6);
  });

  it('stepMeter counts late readings, resets and lumps as net changes', () => {
    const r = rules();
    let state: SeriesState = EMPTY_SERIES;
    const points: [number, number][] = [
      [0, 100],
      [20, 2],
      [10, 101],
    ];
    const steps = points.map(([minute, value]) => {
      const step = stepMeter(state, { tsMs: T0 + minute * MIN, tsSource: 'payload', energyKWh: value }, r);
      if (step.kind === 'accepted') state = step.state;
      return step;
    });
    expect(steps.map((s) => s.kind)).toEqual(['accepted', 'accepted', 'accepted']);
    const [, reset, late] = steps;
    expect(reset?.kind === 'accepted' && reset.resets).toBe(1);
    // The late reading moves the reset into the second half: still one reset in total.
    expect(late?.kind === 'accepted' && [late.late, late.resets]).toEqual([true, 0]);
    expect(stepMeter(state, { tsMs: T0, tsSource: 'payload', powerW: 5 }, r).kind).toBe('no-value');
  });
});
