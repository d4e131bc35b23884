import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalDeltas, type MeterRef } from '../../../src/domain/ingest/interval-rows.js';
import { stepMeter } from '../../../src/domain/ingest/meter-step.js';
import { EMPTY_SERIES, type SeriesState } from '../../../src/domain/ingest/series.js';
import { MemoryIntervalStore } from '../../helpers/fakes/index.js';
import { MIN, rules } from './fixtures.js';

const T0 = Date.parse('2024-06-01T00:00:00Z');
const REF: MeterRef = { meterId: 'm1', siteId: 's1', spaceId: 'lobby', endUse: 'total' };

interface Step {
  readonly gapMs: number;
  readonly kWh: number;
  readonly reset: boolean;
}

/** A register's true readings and the energy it recorded: the rise, less what was lost to resets. */
function register(start: number, steps: readonly Step[]) {
  const readings = [{ tsMs: T0, value: start }];
  let expected = 0;
  for (const step of steps) {
    const prev = readings[readings.length - 1] as { tsMs: number; value: number };
    // A reset restarts the register from zero; it is only visible when the value actually drops.
    const reset = step.reset && step.kWh < prev.value;
    const value = reset ? step.kWh : prev.value + step.kWh;
    expected += step.kWh;
    readings.push({ tsMs: prev.tsMs + step.gapMs, value });
  }
  return { readings, expected };
}

const stepArb = fc.record({
  // 1 to 40 minutes, at millisecond resolution, so readings fall anywhere within intervals.
  gapMs: fc.integer({ min: MIN, max: 40 * MIN }),
  // At most 2 kWh per step: under 120 kW, well below maxPowerW.
  kWh: fc.double({ min: 0, max: 2, noNaN: true }),
  reset: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const scenarioArb = fc
  .record({
    start: fc.double({ min: 0, max: 100_000, noNaN: true }),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
  })
  .chain(({ start, steps }) => {
    const { readings, expected } = register(start, steps);
    return fc.record({
      readings: fc.constant(readings),
      expected: fc.constant(expected),
      // Arrival order: a random key per delivery (readings plus some re-deliveries), sorted.
      deliveries: fc
        .array(fc.integer({ min: 0, max: readings.length - 1 }), { maxLength: 10 })
        .chain((dups) =>
          fc
            .array(fc.double({ min: 0, max: 1, noNaN: true }), {
              minLength: readings.length + dups.length,
              maxLength: readings.length + dups.length,
            })
            .map((keys) =>
              [...readings.map((_, i) => i), ...dups]
                .map((index, k) => ({ index, key: keys[k] ?? 0 }))
                .sort((a, b) => a.key - b.key)
                .map((d) => d.index),
            ),
        ),
      flushEvery: fc.integer({ min: 1, max: 8 }),
    });
  });

function run(
  scenario: { readings: { tsMs: number; value: number }[]; deliveries: number[]; flushEvery: number },
  maxGapMinutes: number,
  windowSize = 1000,
) {
  const r = rules({ windowSize, maxGapMs: maxGapMinutes * MIN });
  const store = new MemoryIntervalStore();
  const deltas = new IntervalDeltas();
  let state: SeriesState = EMPTY_SERIES;
  let lumpKWh = 0;
  let duplicates = 0;
  scenario.deliveries.forEach((index, n) => {
    const reading = scenario.readings[index] as { tsMs: number; value: number };
    const step = stepMeter(state, { tsMs: reading.tsMs, tsSource: 'payload', energyKWh: reading.value }, r);
    if (step.kind === 'duplicate') duplicates += 1;
    else if (step.kind === 'accepted') {
      state = step.state;
      lumpKWh += step.unapportionedKWh;
      deltas.addSpans(REF, step.removed, step.added);
    } else throw new Error(`unexpected ${step.kind}`);
    if (n % scenario.flushEvery === 0) store.addIntervals(deltas.drain());
  });
  store.addIntervals(deltas.drain());
  const sum = (minutes: 15 | 60) =>
    store
      .intervalsFor({ minutes, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER })
      .reduce((s, row) => s + (row.energyKWh ?? 0), 0);
  return { store, state, lumpKWh, duplicates, sum15: sum(15), sum60: sum(60) };
}

describe('register differencing, whatever the arrival order', () => {
  it('interval energy sums to the rise less resets (no gaps)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const out = run(scenario, 100_000);
        expect(out.duplicates).toBe(scenario.deliveries.length - scenario.readings.length);
        expect(out.lumpKWh).toBe(0);
        expect(Math.abs(out.sum15 - scenario.expected)).toBeLessThan(1e-6);
        expect(Math.abs(out.sum60 - scenario.expected)).toBeLessThan(1e-6);
        // Every interval strictly inside the readings is fully covered, and none more than fully.
        const first = scenario.readings[0]?.tsMs ?? 0;
        const last = scenario.readings[scenario.readings.length - 1]?.tsMs ?? 0;
        for (const row of out.store.intervalsFor({ minutes: 15, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER })) {
          expect(row.missing).toBe(false);
          expect(row.coverage).toBeLessThanOrEqual(1);
          if (row.startMs >= first && row.startMs + 15 * MIN <= last) expect(row.coverage).toBeCloseTo(1, 9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with gaps, interval energy plus the unapportioned lumps is the rise less resets', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const out = run(scenario, 20);
        expect(Math.abs(out.sum15 + out.lumpKWh - scenario.expected)).toBeLessThan(1e-6);
        expect(Math.abs(out.sum60 + out.lumpKWh - scenario.expected)).toBeLessThan(1e-6);
        // Gaps are never booked as zero: an interval wholly inside a gap is missing, with no energy.
        const readings = scenario.readings;
        for (let i = 1; i < readings.length; i++) {
          const a = readings[i - 1]?.tsMs ?? 0;
          const b = readings[i]?.tsMs ?? 0;
          if (b - a <= 20 * MIN) continue;
          const inside = out.store
            .intervalsFor({ minutes: 15, fromMs: a, toMs: b })
            .filter((row) => row.startMs >= a && row.startMs + 15 * MIN <= b);
          for (const row of inside) expect(row).toMatchObject({ missing: true, energyKWh: null });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with a small window, readings late by fewer positions than the window still sum exactly', () => {
    const WINDOW = 8;
    const MAX_DELAY = 5; // fewer than WINDOW: at least WINDOW - MAX_DELAY older readings are held
    const bounded = fc
      .record({
        start: fc.double({ min: 0, max: 100_000, noNaN: true }),
        steps: fc.array(stepArb, { minLength: 1, maxLength: 60 }),
      })
      .chain(({ start, steps }) => {
        const { readings, expected } = register(start, steps);
        return fc.record({
          readings: fc.constant(readings),
          expected: fc.constant(expected),
          // Each reading is delayed by at most MAX_DELAY positions.
          deliveries: fc
            .array(fc.double({ min: 0, max: MAX_DELAY - 0.001, noNaN: true }), {
              minLength: readings.length,
              maxLength: readings.length,
            })
            .map((delays) =>
              readings
                .map((_, i) => ({ i, key: i + (delays[i] ?? 0) }))
                .sort((a, b) => a.key - b.key)
                .map((d) => d.i),
            ),
          flushEvery: fc.integer({ min: 1, max: 8 }),
        });
      });
    fc.assert(
      fc.property(bounded, (scenario) => {
        const out = run(scenario, 100_000, WINDOW);
        expect(out.state.entries.length).toBeLessThanOrEqual(WINDOW);
        expect(Math.abs(out.sum15 - scenario.expected)).toBeLessThan(1e-6);
      }),
      { numRuns: 300 },
    );
  });
});
