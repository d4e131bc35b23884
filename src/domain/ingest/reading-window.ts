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
 * A meter's most recent readings, compact: a ring buffer of typed arrays (time, value, and the span
 * ending at each reading: energy and flags), about 25 bytes a reading instead of an object each.
 * Mutable: `insert` changes it in place, and only once the reading is known to be accepted.
 * Behaves exactly as insertReading on a SeriesState (series.ts), which stays as the reference.
 */
export class ReadingWindow {
  private tsMs: Float64Array;
  private value: Float64Array;
  private energyKWh: Float64Array;
  private flags: Uint8Array;
  private head = 0;
  private count = 0;

  constructor(
    capacity: number,
    /** Older readings have left the window: a reading before the first can no longer be placed. */
    public sealed = false,
  ) {
    const n = Math.max(1, capacity);
    this.tsMs = new Float64Array(n);
    this.value = new Float64Array(n);
    this.energyKWh = new Float64Array(n);
    this.flags = new Uint8Array(n);
  }

  get length(): number {
    return this.count;
  }

  get capacity(): number {
    return this.tsMs.length;
  }

  private at(i: number): number {
    const p = this.head + i;
    return p < this.tsMs.length ? p : p - this.tsMs.length;
  }

  tsAt(i: number): number {
    return this.tsMs[this.at(i)] as number;
  }

  valueAt(i: number): number {
    return this.value[this.at(i)] as number;
  }

  pointAt(i: number): Point {
    const p = this.at(i);
    return { tsMs: this.tsMs[p] as number, value: this.value[p] as number };
  }

  /** The span that ends at entry i, if one is held. */
  spanAt(i: number): SpanInfo | undefined {
    const p = this.at(i);
    const f = this.flags[p] as number;
    if ((f & HAS_SPAN) === 0) return undefined;
    const event = EVENTS[(f >> EVENT_SHIFT) & 3];
    return { energyKWh: this.energyKWh[p] as number, gap: (f & GAP) !== 0, ...(event ? { event } : {}) };
  }

  /** Stored form of entry i's span (window-codec.ts). */
  energyAt(i: number): number {
    return this.energyKWh[this.at(i)] as number;
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
    this.energyKWh[p] = energyKWh;
    this.flags[p] = flags;
  }

  private setSpan(i: number, span: SpanInfo | undefined): void {
    const p = this.at(i);
    this.energyKWh[p] = span ? span.energyKWh : 0;
    this.flags[p] = span ? flagsOf(span) : 0;
  }

  private grow(): void {
    const n = this.tsMs.length * 2;
    const copy = (from: Float64Array) => {
      const to = new Float64Array(n);
      for (let i = 0; i < this.count; i++) to[i] = from[this.at(i)] as number;
      return to;
    };
    const flags = new Uint8Array(n);
    for (let i = 0; i < this.count; i++) flags[i] = this.flags[this.at(i)] as number;
    this.tsMs = copy(this.tsMs);
    this.value = copy(this.value);
    this.energyKWh = copy(this.energyKWh);
    this.flags = flags;
    this.head = 0;
  }

  private insertAt(i: number, point: Point, span: SpanInfo | undefined): void {
    if (this.count === this.tsMs.length) this.grow();
    // Shift the entries after i one place on (none for an append).
    for (let j = this.count; j > i; j--) {
      const to = this.at(j);
      const from = this.at(j - 1);
      this.tsMs[to] = this.tsMs[from] as number;
      this.value[to] = this.value[from] as number;
      this.energyKWh[to] = this.energyKWh[from] as number;
      this.flags[to] = this.flags[from] as number;
    }
    this.count += 1;
    const p = this.at(i);
    this.tsMs[p] = point.tsMs;
    this.value[p] = point.value;
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

function toSpan(a: Point, b: Point, info: SpanInfo): Span {
  return { startMs: a.tsMs, endMs: b.tsMs, ...info };
}
