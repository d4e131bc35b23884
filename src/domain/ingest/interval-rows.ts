import { type EndUse, INTERVAL_MINUTES, type IntervalMinutes } from '../energy.js';
import { intervalStartMs } from './apportion.js';
import type { IntervalRow } from './interval-row.js';
import type { Span } from './span.js';

/** Where a meter's energy is booked. */
export interface MeterRef {
  readonly meterId: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
}

/** Below this, a merged energy delta is float noise from a removed span and its replacement halves. */
const ENERGY_EPSILON_KWH = 1e-12;

/**
 * A meter's row key as one number: interval starts are multiples of 15 minutes in ms, so the low
 * bits are free for the length (+1 hourly) and the missing mark (+2). No string per share.
 */
function rowKey(minutes: IntervalMinutes, startMs: number, missing: boolean): number {
  return startMs + (minutes === 60 ? 1 : 0) + (missing ? 2 : 0);
}

interface Pending {
  readonly minutes: IntervalMinutes;
  readonly startMs: number;
  readonly missing: boolean;
  energyKWh: number;
  coverage: number;
}

interface MeterRows {
  readonly ref: MeterRef;
  readonly rows: Map<number, Pending>;
}

/**
 * Collects interval rows as deltas for the IntervalStore, whose rows add up per key (energy and
 * coverage add; energy arriving on a missing interval makes it not missing). A late reading that
 * splits a span takes the old span's energy back out (negative energy) and books the two halves;
 * the coverage of the halves equals the old span's, so its net coverage change is zero and no
 * negative coverage is ever written.
 */
export class IntervalDeltas {
  private readonly meters = new Map<string, MeterRows>();
  private count = 0;

  private rowsOf(ref: MeterRef): Map<number, Pending> {
    let m = this.meters.get(ref.meterId);
    if (!m) {
      m = { ref, rows: new Map() };
      this.meters.set(ref.meterId, m);
    }
    return m.rows;
  }

  private add(
    rows: Map<number, Pending>,
    minutes: IntervalMinutes,
    startMs: number,
    energyKWh: number,
    coverage: number,
  ): void {
    const key = rowKey(minutes, startMs, false);
    const existing = rows.get(key);
    if (existing) {
      existing.energyKWh += energyKWh;
      existing.coverage += coverage;
      return;
    }
    rows.set(key, { minutes, startMs, missing: false, energyKWh, coverage });
    this.count += 1;
  }

  private markMissing(rows: Map<number, Pending>, minutes: IntervalMinutes, startMs: number): void {
    const key = rowKey(minutes, startMs, true);
    if (rows.has(key)) return;
    rows.set(key, { minutes, startMs, missing: true, energyKWh: 0, coverage: 0 });
    this.count += 1;
  }

  /**
   * Books one span's shares of each interval it overlaps, as apportion() computes them (`sign` -1
   * takes a removed span back out), without building the list of shares.
   */
  private book(rows: Map<number, Pending>, span: Span, minutes: IntervalMinutes, sign: 1 | -1): void {
    const { startMs, endMs, energyKWh } = span;
    if (!(endMs > startMs)) return;
    const lengthMs = minutes * 60_000;
    const spanMs = endMs - startMs;
    for (let t = intervalStartMs(startMs, minutes); t < endMs; t += lengthMs) {
      const overlapMs = Math.min(endMs, t + lengthMs) - Math.max(startMs, t);
      if (overlapMs <= 0) continue;
      if (span.gap) this.markMissing(rows, minutes, t);
      else {
        const share = (energyKWh * overlapMs) / spanMs;
        const coverage = overlapMs / lengthMs;
        this.add(rows, minutes, t, sign === 1 ? share : -share, sign === 1 ? coverage : -coverage);
      }
    }
  }

  /** Books span changes: removed spans come back out, added spans go in, gaps mark missing. */
  addSpans(ref: MeterRef, removed: readonly Span[], added: readonly Span[]): void {
    if (removed.length === 0 && added.length === 0) return;
    const rows = this.rowsOf(ref);
    for (const minutes of INTERVAL_MINUTES) {
      for (const span of removed) {
        // A gap's energy never entered the intervals (it is a lump), so there is nothing to take out.
        if (span.gap) continue;
        this.book(rows, span, minutes, -1);
      }
      for (const span of added) this.book(rows, span, minutes, 1);
    }
  }

  get size(): number {
    return this.count;
  }

  /** The merged rows, without the ones that cancelled out; empties the accumulator. */
  drain(): IntervalRow[] {
    const out: IntervalRow[] = [];
    for (const { ref, rows } of this.meters.values()) {
      const { meterId, siteId, spaceId, endUse } = ref;
      for (const { minutes, startMs, missing, energyKWh, coverage } of rows.values()) {
        if (missing) {
          out.push({
            meterId,
            siteId,
            spaceId,
            endUse,
            minutes,
            startMs,
            energyKWh: null,
            coverage: 0,
            missing,
          });
          continue;
        }
        const e = Math.abs(energyKWh) < ENERGY_EPSILON_KWH ? 0 : energyKWh;
        // Net coverage of a split is zero up to rounding; the store caps at 1.
        const c = Math.min(1, Math.max(0, coverage < 1e-9 ? 0 : coverage));
        if (e === 0 && c === 0) continue;
        out.push({ meterId, siteId, spaceId, endUse, minutes, startMs, energyKWh: e, coverage: c, missing });
      }
    }
    this.meters.clear();
    this.count = 0;
    return out;
  }
}
