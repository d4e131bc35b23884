import { describe, expect, it } from 'vitest';
import { ReadingWindow } from '../../../src/domain/ingest/reading-window.js';
import {
  decodeWindow,
  encodeWindow,
  seriesFromWindow,
  WINDOW_FORMAT,
  windowFromSeries,
} from '../../../src/domain/ingest/window-codec.js';
import { MIN, rules } from './fixtures.js';

const T0 = Date.parse('2024-06-01T00:00:00Z');

/** A window of `n` readings one minute apart, 0.1 kWh each. */
function filled(n: number, windowSize = 96): ReadingWindow {
  const r = rules({ windowSize });
  const w = new ReadingWindow(windowSize + 1);
  for (let i = 0; i < n; i++)
    expect(w.insert({ tsMs: T0 + i * MIN, value: 10 + i * 0.1 }, r).kind).not.toBe('rejected');
  return w;
}

describe('ReadingWindow', () => {
  it('holds at most windowSize readings, the newest, and is sealed once one has left', () => {
    const w = filled(5, 3);
    expect(w.length).toBe(3);
    expect(w.sealed).toBe(true);
    expect([0, 1, 2].map((i) => w.tsAt(i))).toEqual([T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);
    // Its storage never grows past windowSize + 1, however many readings pass through.
    const big = filled(1_000, 96);
    expect(big.length).toBe(96);
    expect(big.capacity).toBe(97);
    expect(big.tsAt(95)).toBe(T0 + 999 * MIN);
  });

  it('refuses a reading before the oldest once sealed, and leaves the window unchanged', () => {
    const w = filled(5, 3);
    const before = seriesFromWindow(w);
    expect(w.insert({ tsMs: T0, value: 10 }, rules({ windowSize: 3 }))).toMatchObject({
      kind: 'rejected',
      rejection: { reason: 'too-late' },
    });
    expect(seriesFromWindow(w)).toEqual(before);
  });

  it('splits the span a late reading falls in, across the ring buffer wrapping', () => {
    const r = rules({ windowSize: 4 });
    const w = filled(6, 4); // head has moved on: the ring wraps
    const result = w.insert({ tsMs: T0 + 4 * MIN + 30_000, value: 10.45 }, r);
    expect(result.kind).toBe('inserted');
    expect(w.length).toBe(4);
    expect([0, 1, 2, 3].map((i) => w.tsAt(i))).toEqual([
      T0 + 3 * MIN,
      T0 + 4 * MIN,
      T0 + 4 * MIN + 30_000,
      T0 + 5 * MIN,
    ]);
    expect(w.spanAt(2)?.energyKWh).toBeCloseTo(0.05, 12);
    expect(w.spanAt(3)?.energyKWh).toBeCloseTo(0.05, 12);
  });
});

describe('the stored record of a window', () => {
  it('round-trips every reading, span, event and the seal', () => {
    const r = rules({ windowSize: 8, rolloverKWh: 100, maxGapMs: 10 * MIN, maxPowerW: 300_000 });
    const w = new ReadingWindow(9);
    for (const [min, value] of [
      [0, 95],
      [1, 99.5],
      [2, 0.3], // rollover
      [3, 0.1], // reset
      [40, 0.2], // gap
      [41, 0.25],
    ] as const)
      w.insert({ tsMs: T0 + min * MIN, value }, r);
    const bytes = encodeWindow(w);
    expect(bytes.byteLength).toBe(4 + 6 * 25);
    expect(bytes[0]).toBe(WINDOW_FORMAT);
    const back = decodeWindow(bytes, 8);
    expect(back && seriesFromWindow(back)).toEqual(seriesFromWindow(w));
    expect(seriesFromWindow(w).entries.map((e) => e.span?.event ?? e.span?.gap)).toEqual([
      undefined,
      false,
      'rollover',
      'reset',
      true,
      false,
    ]);
    const sealed = filled(10, 4);
    expect(decodeWindow(encodeWindow(sealed), 4)?.sealed).toBe(true);
  });

  it('is about 25 bytes a reading: 2.4 KB for a full window of 96', () => {
    expect(encodeWindow(filled(200)).byteLength).toBe(4 + 96 * 25);
  });

  it('converts from and to the JSON form that earlier releases stored', () => {
    const w = filled(7, 5);
    const json = seriesFromWindow(w);
    expect(seriesFromWindow(windowFromSeries(json, 5))).toEqual(json);
  });

  it('refuses records that are cut short, of another format, unordered or with unknown flags', () => {
    const good = encodeWindow(filled(3));
    expect(decodeWindow(good.slice(0, good.byteLength - 1), 96)).toBeUndefined();
    expect(decodeWindow(new Uint8Array([WINDOW_FORMAT]), 96)).toBeUndefined();
    const otherFormat = good.slice();
    otherFormat[0] = 2;
    expect(decodeWindow(otherFormat, 96)).toBeUndefined();
    const badFlags = good.slice();
    badFlags[4 + 25 + 24] = 0x80;
    expect(decodeWindow(badFlags, 96)).toBeUndefined();
    const unordered = good.slice();
    const view = new DataView(unordered.buffer);
    view.setFloat64(4 + 25, T0 - MIN, true);
    expect(decodeWindow(unordered, 96)).toBeUndefined();
    const nan = good.slice();
    new DataView(nan.buffer).setFloat64(4 + 8, Number.NaN, true);
    expect(decodeWindow(nan, 96)).toBeUndefined();
  });

  it('reads a record holding more readings than the window, and bounds it at the next insert', () => {
    const w = decodeWindow(encodeWindow(filled(10, 10)), 4) as ReadingWindow;
    expect(w.length).toBe(10);
    w.insert({ tsMs: T0 + 10 * MIN, value: 11 }, rules({ windowSize: 4 }));
    expect(w.length).toBe(4);
    expect(w.sealed).toBe(true);
  });
});
