import { reject } from './reasons.js';
import type { InsertResult } from './series.js';
import {
  computeSpan,
  type Point,
  type SeriesRules,
  type Span,
  type SpanEvent,
  type SpanInfo,
} from './span.js';
import { isoOrRaw } from './timestamp.js';

/** Per-entry flags: bit 0 the entry has a span; bit 1 the span is a gap; bits 2-3 its event. */
const HAS_SPAN = 1;
const GAP = 2;
const EVENT_SHIFT = 2;
const EVENTS: readonly (SpanEvent | undefined)[] = [undefined, 'reset', 'rollover', 'replaced'];

export type WindowInsertResult =
  | Exclude<InsertResult, { readonly kind: 'first' | 'appended' | 'inserted' | 'prepended' }>
  | {
      readonly kind: 'first' | 'appended' | 'inserted' | 'prepended';
      readonly removed: readonly Span[];
      readonly added: readonly Span[];
    };

function flagsOf(info: SpanInfo): number {
  return HAS_SPAN | (info.gap ? GAP : 0) | (EVENTS.indexOf(info.event) << EVENT_SHIFT);
}

/**
 * A meter's most recent readings, compact: a ring buffer in one ArrayBuffer (time, value, and the
 * span ending at each reading: energy and flags), 25 bytes a reading instead of an object each.
 * Mutable: `insert` changes it in place, and only once the reading is known to be accepted.
 * Behaves exactly as insertReading on a SeriesState (series.ts), which stays as the reference.
 */
export class ReadingWindow {
  /** Per entry, three numbers: time, value and the energy of the span ending there. */
  private data: Float64Array;
  /** Per entry, the span's flags; the tail of the same buffer, so a window is one allocation. */
  private flags: Uint8Array;
  private head = 0;
  private count = 0;

  constructor(
    capacity: number,
    /** Older readings have left the window: a reading before the first can no longer be placed. */
    public sealed = false,
  ) {
    [this.data, this.flags] = allocate(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  get capacity(): number {
    return this.flags.length;
  }

  private at(i: number): number {
    const p = this.head + i;
    return p < this.flags.length ? p : p - this.flags.length;
  }

  tsAt(i: number): number {
    return this.data[this.at(i) * 3] as number;
  }

  valueAt(i: number): number {
    return this.data[this.at(i) * 3 + 1] as number;
  }

  pointAt(i: number): Point {
    const p = this.at(i) * 3;
    return { tsMs: this.data[p] as number, value: this.data[p + 1] as number };
  }

  /** The span that ends at entry i, if one is held. */
  spanAt(i: number): SpanInfo | undefined {
    const p = this.at(i);
    const f = this.flags[p] as number;
    if ((f & HAS_SPAN) === 0) return undefined;
    const event = EVENTS[(f >> EVENT_SHIFT) & 3];
    const span: { -readonly [K in keyof SpanInfo]: SpanInfo[K] } = {
      energyKWh: this.data[p * 3 + 2] as number,
      gap: (f & GAP) !== 0,
    };
    if (event) span.event = event;
    return span;
  }

  /** Stored form of entry i's span (window-codec.ts). */
  energyAt(i: number): number {
    return this.data[this.at(i) * 3 + 2] as number;
  }

  flagsAt(i: number): number {
    return this.flags[this.at(i)] as number;
  }

  /** Appends an entry at the end (building a window from stored entries). Entries must come in time order. */
  push(point: Point, span?: SpanInfo): void {
    this.insertAt(this.count, point, span);
  }

  /** Appends an entry in its stored form, checked by the caller (window-codec.ts). */
  pushRaw(tsMs: number, value: number, energyKWh: number, flags: number): void {
    this.insertAt(this.count, { tsMs, value }, undefined);
    const p = this.at(this.count - 1);
    this.data[p * 3 + 2] = energyKWh;
    this.flags[p] = flags;
  }

  private setSpan(i: number, span: SpanInfo | undefined): void {
    const p = this.at(i);
    this.data[p * 3 + 2] = span ? span.energyKWh : 0;
    this.flags[p] = span ? flagsOf(span) : 0;
  }

  private grow(): void {
    const [data, flags] = allocate(this.flags.length * 2);
    for (let i = 0; i < this.count; i++) {
      const p = this.at(i);
      data.set(this.data.subarray(p * 3, p * 3 + 3), i * 3);
      flags[i] = this.flags[p] as number;
    }
    this.data = data;
    this.flags = flags;
    this.head = 0;
  }

  private insertAt(i: number, point: Point, span: SpanInfo | undefined): void {
    if (this.count === this.flags.length) this.grow();
    // Shift the entries after i one place on (none for an append).
    for (let j = this.count; j > i; j--) {
      const to = this.at(j);
      const from = this.at(j - 1);
      this.data.copyWithin(to * 3, from * 3, from * 3 + 3);
      this.flags[to] = this.flags[from] as number;
    }
    this.count += 1;
    const p = this.at(i);
    this.data[p * 3] = point.tsMs;
    this.data[p * 3 + 1] = point.value;
    this.setSpan(i, span);
  }

  /** Drops the oldest entries beyond `windowSize`; the window is then sealed. */
  private bound(windowSize: number): void {
    while (this.count > windowSize) {
      this.head = this.at(1);
      this.count -= 1;
      this.sealed = true;
    }
  }

  private firstIndexAtOrAfter(tsMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsAt(mid) < tsMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Places a reading among the meter's recent readings, as insertReading does: in-order readings
   * append a span; a late reading splits the span it falls in (removed: the old span; added: the two
   * halves). Same time and value: a duplicate. Rejected readings leave the window unchanged.
   */
  insert(point: Point, rules: SeriesRules): WindowInsertResult {
    const entry = { tsMs: point.tsMs, value: point.value };
    if (this.count === 0) {
      this.insertAt(0, entry, undefined);
      return { kind: 'first', removed: [], added: [] };
    }
    const idx = this.firstIndexAtOrAfter(point.tsMs);
    const at = idx < this.count ? this.pointAt(idx) : undefined;
    if (at !== undefined && at.tsMs === point.tsMs) {
      if (at.value === point.value) return { kind: 'duplicate' };
      return {
        kind: 'rejected',
        rejection: reject(
          'conflicting-duplicate',
          `a reading for ${isoOrRaw(point.tsMs)} is already held with value ${at.value}, not ${point.value}`,
        ),
      };
    }
    if (idx === 0) {
      const next = at as Point;
      if (this.sealed) {
        return {
          kind: 'rejected',
          rejection: reject(
            'too-late',
            `ts ${isoOrRaw(point.tsMs)} is before the oldest reading still open (${isoOrRaw(next.tsMs)})`,
          ),
        };
      }
      const info = computeSpan(point, next, rules);
      if ('ok' in info) return { kind: 'rejected', rejection: info };
      this.insertAt(0, entry, undefined);
      this.setSpan(1, info);
      this.bound(rules.windowSize);
      return { kind: 'prepended', removed: [], added: [toSpan(point, next, info)] };
    }
    const prev = this.pointAt(idx - 1);
    if (at === undefined) {
      const info = computeSpan(prev, point, rules);
      if ('ok' in info) return { kind: 'rejected', rejection: info };
      this.insertAt(idx, entry, info);
      this.bound(rules.windowSize);
      return { kind: 'appended', removed: [], added: [toSpan(prev, point, info)] };
    }
    const old = this.spanAt(idx) ?? computeSpan(prev, at, rules);
    if ('ok' in old) return { kind: 'rejected', rejection: old };
    const left = computeSpan(prev, point, rules);
    if ('ok' in left) return { kind: 'rejected', rejection: left };
    const right = computeSpan(point, at, rules);
    if ('ok' in right) return { kind: 'rejected', rejection: right };
    this.insertAt(idx, entry, left);
    this.setSpan(idx + 1, right);
    this.bound(rules.windowSize);
    return {
      kind: 'inserted',
      removed: [toSpan(prev, at, old)],
      added: [toSpan(prev, point, left), toSpan(point, at, right)],
    };
  }
}

/** Room for n entries: 24 bytes of numbers and one byte of flags each, in one buffer. */
function allocate(n: number): [Float64Array, Uint8Array] {
  const buffer = new ArrayBuffer(n * 25);
  return [new Float64Array(buffer, 0, n * 3), new Uint8Array(buffer, n * 24, n)];
}

function toSpan(a: Point, b: Point, info: SpanInfo): Span {
  return { startMs: a.tsMs, endMs: b.tsMs, ...info };
}
