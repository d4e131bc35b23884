import { HORIZON_SLOTS, SLOT_MS } from './types.js';

/** Start of the 15-minute slot holding `tsMs`. */
export function slotStartMs(tsMs: number): number {
  return Math.floor(tsMs / SLOT_MS) * SLOT_MS;
}

/** Value of a per-slot series at slot i; a short series repeats its last value, an empty one gives `fallback`. */
export function at(series: readonly number[], i: number, fallback: number): number {
  if (series.length === 0) return fallback;
  const v = series[Math.min(i, series.length - 1)];
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}

/**
 * Spread an hourly series (hour k starts at hourStartMs + k h) onto `slots` 15-minute slots from
 * `startMs`: each slot takes the value of the hour it lies in; hours past the end repeat the last.
 */
export function hourlyToSlots(
  hourly: readonly number[],
  hourStartMs: number,
  startMs: number,
  slots = HORIZON_SLOTS,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < slots; i++) {
    const k = Math.floor((startMs + i * SLOT_MS - hourStartMs) / 3_600_000);
    out.push(at(hourly, Math.max(0, k), Number.NaN));
  }
  return out;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Label of a slot offset for reasons ("+45 min"): the core has no time zone, so no clock times. */
export function inMinutes(slots: number): string {
  return `${slots * 15} min`;
}
