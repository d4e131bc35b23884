import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalDeltas, type MeterRef } from '../../../src/domain/ingest/interval-rows.js';
import { stepMeter, stepWindow } from '../../../src/domain/ingest/meter-step.js';
import type { DecodedReading } from '../../../src/domain/ingest/reading.js';
import { ReadingWindow } from '../../../src/domain/ingest/reading-window.js';
import { EMPTY_SERIES, type SeriesState } from '../../../src/domain/ingest/series.js';
import { decodeWindow, encodeWindow, seriesFromWindow } from '../../../src/domain/ingest/window-codec.js';
import { MIN, rules } from './fixtures.js';

const T0 = Date.parse('2024-06-01T00:00:00Z');
const REF: MeterRef = { meterId: 'm1', siteId: 's1', spaceId: 'lobby', endUse: 'total' };

function reading(tsMs: number, value: number, kind: 'cumulative' | 'power'): DecodedReading {
  return {
    tsMs,
    tsSource: 'payload',
    ...(kind === 'cumulative' ? { energyKWh: value } : { powerW: value }),
  } as DecodedReading;
}

// Readings on a coarse grid of times (so duplicates and conflicting duplicates happen), values that
// mostly rise and now and then drop (resets, rollovers) or jump (absurd rises, replaced meters).
const readingArb = fc.record({
  minute: fc.integer({ min: 0, max: 600 }),
  ms: fc.constantFrom(0, 0, 0, 17_345),
  value: fc.oneof(
    fc.integer({ min: 0, max: 200 }).map((n) => n / 10),
    fc.double({ min: 0, max: 1_000, noNaN: true }),
    fc.constantFrom(0, 99_990, 5_000_000),
  ),
});

const scenarioArb = fc.record({
  kind: fc.constantFrom('cumulative' as const, 'power' as const),
  windowSize: fc.integer({ min: 1, max: 12 }),
  maxGapMs: fc.constantFrom(15 * MIN, 60 * MIN, 6 * 60 * MIN),
  maxPowerW: fc.constantFrom(2_000, 200_000),
  rolloverKWh: fc.option(fc.constant(100_000), { nil: undefined }),
  readings: fc.array(readingArb, { minLength: 1, maxLength: 80 }),
  // After which readings the window goes through its stored form (a flush and a restart).
  restartEvery: fc.integer({ min: 1, max: 30 }),
});

describe('the compact reading window behaves as the JSON series state', () => {
  it('gives the same steps, interval rows and state on random reading sequences', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const r = rules({
          kind: sc.kind,
          windowSize: sc.windowSize,
          maxGapMs: sc.maxGapMs,
          maxPowerW: sc.maxPowerW,
          ...(sc.rolloverKWh !== undefined ? { rolloverKWh: sc.rolloverKWh } : {}),
        });
        let state: SeriesState = EMPTY_SERIES;
        let window = new ReadingWindow(sc.windowSize + 1);
        const oldDeltas = new IntervalDeltas();
        const newDeltas = new IntervalDeltas();
        sc.readings.forEach((x, i) => {
          const d = reading(T0 + x.minute * MIN + x.ms, x.value, sc.kind);
          const before = stepMeter(state, d, r);
          const after = stepWindow(window, d, r);
          if (before.kind === 'accepted') {
            const { state: next, ...rest } = before;
            state = next;
            expect(after).toEqual(rest);
            oldDeltas.addSpans(REF, before.removed, before.added);
            if (after.kind === 'accepted') newDeltas.addSpans(REF, after.removed, after.added);
          } else {
            expect(after).toEqual(before);
          }
          expect(seriesFromWindow(window)).toEqual(state);
          if ((i + 1) % sc.restartEvery === 0) {
            const decoded = decodeWindow(encodeWindow(window), sc.windowSize);
            expect(decoded).toBeDefined();
            window = decoded as ReadingWindow;
          }
        });
        expect(newDeltas.drain()).toEqual(oldDeltas.drain());
      }),
      { numRuns: 300 },
    );
  });
});
