import { z } from 'zod';
import { type Rejection, reject } from './reasons.js';
import { computeSpan, type Point, type SeriesRules, type Span, type SpanInfo } from './span.js';
import { isoOrRaw } from './timestamp.js';

/** One reading held in a meter's window, with the span that ends at it. */
export interface SeriesEntry extends Point {
  readonly span?: SpanInfo;
}

/**
 * Per-meter state, plain JSON so it survives restarts (MeterStateStore). `entries` are the most
 * recent readings in time order; `sealed` once older readings have left the window, after which a
 * reading older than the first entry can no longer be placed.
 */
export interface SeriesState {
  readonly version: 1;
  readonly entries: readonly SeriesEntry[];
  readonly sealed: boolean;
}

export const EMPTY_SERIES: SeriesState = { version: 1, entries: [], sealed: false };

const SpanInfoSchema = z.object({
  energyKWh: z.number(),
  gap: z.boolean(),
  event: z.enum(['reset', 'rollover', 'replaced']).optional(),
});
export const SeriesStateSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.object({ tsMs: z.number(), value: z.number(), span: SpanInfoSchema.optional() })),
  sealed: z.boolean(),
});

/**
 * Compact form, written after every flush for every meter that got a reading: entries as arrays
 * `[tsMs, value]` or `[tsMs, value, energyKWh, gap 0|1, event?]`, about half the size of the
 * object form (version 1, still read) and quicker to write and parse.
 */
const CompactEntry = z.union([
  z.tuple([z.number(), z.number()]),
  z.tuple([z.number(), z.number(), z.number(), z.union([z.literal(0), z.literal(1)])]),
  z.tuple([
    z.number(),
    z.number(),
    z.number(),
    z.union([z.literal(0), z.literal(1)]),
    z.enum(['reset', 'rollover', 'replaced']),
  ]),
]);
const CompactStateSchema = z.object({ v: z.literal(2), s: z.boolean(), e: z.array(CompactEntry) });

type CompactEntry = z.infer<typeof CompactEntry>;

export function serializeSeriesState(state: SeriesState): string {
  const e = state.entries.map((x): CompactEntry => {
    if (!x.span) return [x.tsMs, x.value];
    const gap = x.span.gap ? 1 : 0;
    return x.span.event
      ? [x.tsMs, x.value, x.span.energyKWh, gap, x.span.event]
      : [x.tsMs, x.value, x.span.energyKWh, gap];
  });
  return JSON.stringify({ v: 2, s: state.sealed, e });
}

export function parseSeriesState(json: string): SeriesState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const compact = CompactStateSchema.safeParse(raw);
  if (compact.success) {
    return {
      version: 1,
      sealed: compact.data.s,
      entries: compact.data.e.map(([tsMs, value, energyKWh, gap, event]) => ({
        tsMs,
        value,
        ...(energyKWh === undefined
          ? {}
          : { span: { energyKWh, gap: gap === 1, ...(event === undefined ? {} : { event }) } }),
      })),
    };
  }
  const result = SeriesStateSchema.safeParse(raw);
  if (!result.success) return undefined;
  // Rebuild without undefined-valued optionals (exactOptionalPropertyTypes).
  return {
    version: 1,
    sealed: result.data.sealed,
    entries: result.data.entries.map((e) => ({
      tsMs: e.tsMs,
      value: e.value,
      ...(e.span
        ? {
            span: {
              energyKWh: e.span.energyKWh,
              gap: e.span.gap,
              ...(e.span.event ? { event: e.span.event } : {}),
            },
          }
        : {}),
    })),
  };
}

export type InsertResult =
  | {
      readonly kind: 'first' | 'appended' | 'inserted' | 'prepended';
      readonly state: SeriesState;
      /** Spans that no longer exist (their energy must be taken back out of the intervals). */
      readonly removed: readonly Span[];
      readonly added: readonly Span[];
    }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

function firstIndexAtOrAfter(entries: readonly SeriesEntry[], tsMs: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as SeriesEntry).tsMs < tsMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toSpan(a: Point, b: Point, info: SpanInfo): Span {
  return { startMs: a.tsMs, endMs: b.tsMs, ...info };
}

function bounded(entries: SeriesEntry[], sealed: boolean, windowSize: number): SeriesState {
  if (entries.length <= windowSize) return { version: 1, entries, sealed };
  return { version: 1, entries: entries.slice(entries.length - windowSize), sealed: true };
}

/**
 * Places a reading among the meter's recent readings. In-order readings append a span; a late
 * reading splits the span it falls in (removed: the old span; added: the two halves), so energy is
 * re-attributed rather than counted twice. Same time and value: a duplicate, ignored.
 */
export function insertReading(state: SeriesState, point: Point, rules: SeriesRules): InsertResult {
  const entries = state.entries;
  const newEntry: SeriesEntry = { tsMs: point.tsMs, value: point.value };
  if (entries.length === 0) {
    return {
      kind: 'first',
      state: { version: 1, entries: [newEntry], sealed: state.sealed },
      removed: [],
      added: [],
    };
  }
  const idx = firstIndexAtOrAfter(entries, point.tsMs);
  const at = entries[idx];
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
    const next = entries[0] as SeriesEntry;
    if (state.sealed) {
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
    const updated = [newEntry, { ...next, span: info }, ...entries.slice(1)];
    return {
      kind: 'prepended',
      state: bounded(updated, state.sealed, rules.windowSize),
      removed: [],
      added: [toSpan(point, next, info)],
    };
  }
  const prev = entries[idx - 1] as SeriesEntry;
  if (at === undefined) {
    const info = computeSpan(prev, point, rules);
    if ('ok' in info) return { kind: 'rejected', rejection: info };
    return {
      kind: 'appended',
      state: bounded([...entries, { ...newEntry, span: info }], state.sealed, rules.windowSize),
      removed: [],
      added: [toSpan(prev, point, info)],
    };
  }
  const old = at.span ?? computeSpan(prev, at, rules);
  if ('ok' in old) return { kind: 'rejected', rejection: old };
  const left = computeSpan(prev, point, rules);
  if ('ok' in left) return { kind: 'rejected', rejection: left };
  const right = computeSpan(point, at, rules);
  if ('ok' in right) return { kind: 'rejected', rejection: right };
  const updated = [
    ...entries.slice(0, idx),
    { ...newEntry, span: left },
    { ...at, span: right },
    ...entries.slice(idx + 1),
  ];
  return {
    kind: 'inserted',
    state: bounded(updated, state.sealed, rules.windowSize),
    removed: [toSpan(prev, at, old)],
    added: [toSpan(prev, point, left), toSpan(point, at, right)],
  };
}
