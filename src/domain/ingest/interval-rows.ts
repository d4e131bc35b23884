import { type EndUse, INTERVAL_MINUTES, type IntervalMinutes } from '../energy.js';
import { apportion, intervalsTouched } from './apportion.js';
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

function rowKey(meterId: string, minutes: IntervalMinutes, startMs: number, missing: boolean): string {
  return `${meterId}|${minutes}|${startMs}|${missing ? 'm' : 'd'}`;
}

interface Pending {
  readonly row: IntervalRow;
  energyKWh: number;
  coverage: number;
}

/**
 * Collects interval rows as deltas for the IntervalStore, whose rows add up per key (energy and
 * coverage add; energy arriving on a missing interval makes it not missing). A late reading that
 * splits a span takes the old span's energy back out (negative energy) and books the two halves;
 * the coverage of the halves equals the old span's, so its net coverage change is zero and no
 * negative coverage is ever written.
 */
export class IntervalDeltas {
  private readonly rows = new Map<string, Pending>();

  private add(
    ref: MeterRef,
    minutes: IntervalMinutes,
    startMs: number,
    energyKWh: number,
    coverage: number,
  ): void {
    const key = rowKey(ref.meterId, minutes, startMs, false);
    const existing = this.rows.get(key);
    if (existing) {
      existing.energyKWh += energyKWh;
      existing.coverage += coverage;
      return;
    }
    const row: IntervalRow = { ...ref, minutes, startMs, energyKWh: 0, coverage: 0, missing: false };
    this.rows.set(key, { row, energyKWh, coverage });
  }

  private markMissing(ref: MeterRef, minutes: IntervalMinutes, startMs: number): void {
    const key = rowKey(ref.meterId, minutes, startMs, true);
    if (this.rows.has(key)) return;
    const row: IntervalRow = { ...ref, minutes, startMs, energyKWh: null, coverage: 0, missing: true };
    this.rows.set(key, { row, energyKWh: 0, coverage: 0 });
  }

  /** Books span changes: removed spans come back out, added spans go in, gaps mark missing. */
  addSpans(ref: MeterRef, removed: readonly Span[], added: readonly Span[]): void {
    for (const minutes of INTERVAL_MINUTES) {
      for (const span of removed) {
        // A gap's energy never entered the intervals (it is a lump), so there is nothing to take out.
        if (span.gap) continue;
        for (const s of apportion(span.startMs, span.endMs, span.energyKWh, minutes)) {
          this.add(ref, minutes, s.startMs, -s.energyKWh, -s.coverage);
        }
      }
      for (const span of added) {
        if (span.gap) {
          for (const startMs of intervalsTouched(span.startMs, span.endMs, minutes)) {
            this.markMissing(ref, minutes, startMs);
          }
          continue;
        }
        for (const s of apportion(span.startMs, span.endMs, span.energyKWh, minutes)) {
          this.add(ref, minutes, s.startMs, s.energyKWh, s.coverage);
        }
      }
    }
  }

  get size(): number {
    return this.rows.size;
  }

  /** The merged rows, without the ones that cancelled out; empties the accumulator. */
  drain(): IntervalRow[] {
    const out: IntervalRow[] = [];
    for (const { row, energyKWh, coverage } of this.rows.values()) {
      if (row.missing) {
        out.push(row);
        continue;
      }
      const e = Math.abs(energyKWh) < ENERGY_EPSILON_KWH ? 0 : energyKWh;
      // Net coverage of a split is zero up to rounding; the store caps at 1.
      const c = Math.min(1, Math.max(0, coverage < 1e-9 ? 0 : coverage));
      if (e === 0 && c === 0) continue;
      out.push({ ...row, energyKWh: e, coverage: c });
    }
    this.rows.clear();
    return out;
  }
}
