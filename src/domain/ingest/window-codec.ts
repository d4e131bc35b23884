import { ReadingWindow } from './reading-window.js';
import type { SeriesEntry, SeriesState } from './series.js';

/**
 * A meter's reading window as stored: a small fixed-layout record instead of JSON, about 2.4 KB
 * for 96 readings (the compact JSON took about 4 KB, the object form 9 KB) and no parsing.
 *   byte 0: format (3; JSON states start with `{`), byte 1: bit 0 sealed, bytes 2-3: entries (u16),
 *   then per entry: tsMs, value, span energyKWh (f64 each), span flags (u8); little-endian.
 */
export const WINDOW_FORMAT = 3;
const HEADER_BYTES = 4;
const ENTRY_BYTES = 25;
const MAX_ENTRIES = 0xffff;
/** Flag bits a stored entry may have: span, gap, two bits of event. */
const KNOWN_FLAGS = 0x0f;

export function encodeWindow(window: ReadingWindow): Uint8Array {
  const n = Math.min(window.length, MAX_ENTRIES);
  const skip = window.length - n;
  const bytes = new Uint8Array(HEADER_BYTES + n * ENTRY_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, WINDOW_FORMAT);
  view.setUint8(1, window.sealed || skip > 0 ? 1 : 0);
  view.setUint16(2, n, true);
  for (let i = 0; i < n; i++) {
    const o = HEADER_BYTES + i * ENTRY_BYTES;
    view.setFloat64(o, window.tsAt(skip + i), true);
    view.setFloat64(o + 8, window.valueAt(skip + i), true);
    view.setFloat64(o + 16, window.energyAt(skip + i), true);
    view.setUint8(o + 24, window.flagsAt(skip + i));
  }
  return bytes;
}

/**
 * The stored record back as a window holding at least `windowSize` readings without growing.
 * Undefined when it is not a well-formed record (wrong size or format, times not rising, non-finite
 * numbers, unknown flags): the caller starts the register afresh, as for unreadable JSON.
 */
export function decodeWindow(bytes: Uint8Array, windowSize: number): ReadingWindow | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint16(2, true);
  const sealedByte = view.getUint8(1);
  if (view.getUint8(0) !== WINDOW_FORMAT || sealedByte > 1) return undefined;
  if (bytes.byteLength !== HEADER_BYTES + n * ENTRY_BYTES) return undefined;
  const window = new ReadingWindow(Math.max(n, windowSize) + 1, sealedByte === 1);
  let lastTsMs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const o = HEADER_BYTES + i * ENTRY_BYTES;
    const tsMs = view.getFloat64(o, true);
    const value = view.getFloat64(o + 8, true);
    const energyKWh = view.getFloat64(o + 16, true);
    const flags = view.getUint8(o + 24);
    if (!(tsMs > lastTsMs) || !Number.isFinite(tsMs) || !Number.isFinite(value)) return undefined;
    if (!Number.isFinite(energyKWh) || (flags & ~KNOWN_FLAGS) !== 0) return undefined;
    if ((flags & 1) === 0 && (flags !== 0 || energyKWh !== 0)) return undefined;
    window.pushRaw(tsMs, value, energyKWh, flags);
    lastTsMs = tsMs;
  }
  return window;
}

/** A state in the JSON form (stored before the record format, and the reference in tests) as a window. */
export function windowFromSeries(state: SeriesState, windowSize: number): ReadingWindow {
  const window = new ReadingWindow(Math.max(state.entries.length, windowSize) + 1, state.sealed);
  for (const e of state.entries) window.push({ tsMs: e.tsMs, value: e.value }, e.span);
  return window;
}

/** The window in the JSON form. */
export function seriesFromWindow(window: ReadingWindow): SeriesState {
  const entries: SeriesEntry[] = [];
  for (let i = 0; i < window.length; i++) {
    const span = window.spanAt(i);
    entries.push({ ...window.pointAt(i), ...(span ? { span } : {}) });
  }
  return { version: 1, entries, sealed: window.sealed };
}
