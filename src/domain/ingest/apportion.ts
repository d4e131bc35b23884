import type { IntervalMinutes } from '../energy.js';

/**
 * Intervals are aligned to UTC multiples of their length. For 15-minute intervals that equals local
 * alignment in every zone whose offset is a whole or half hour (Asia/Shanghai is UTC+8), and hourly
 * intervals equal local hours in whole-hour zones. Zones with 45-minute offsets (Asia/Kathmandu)
 * would need local alignment for hours.
 */
export function intervalStartMs(tsMs: number, minutes: IntervalMinutes): number {
  const lengthMs = minutes * 60_000;
  return Math.floor(tsMs / lengthMs) * lengthMs;
}

export interface IntervalShare {
  readonly startMs: number;
  readonly energyKWh: number;
  /** Share of the interval that the span covers, 0..1. */
  readonly coverage: number;
}

/** Spreads `energyKWh` uniformly over [startMs, endMs) into the intervals it overlaps. */
export function apportion(
  startMs: number,
  endMs: number,
  energyKWh: number,
  minutes: IntervalMinutes,
): IntervalShare[] {
  if (!(endMs > startMs)) return [];
  const lengthMs = minutes * 60_000;
  const spanMs = endMs - startMs;
  const shares: IntervalShare[] = [];
  for (let t = intervalStartMs(startMs, minutes); t < endMs; t += lengthMs) {
    const overlapMs = Math.min(endMs, t + lengthMs) - Math.max(startMs, t);
    if (overlapMs <= 0) continue;
    shares.push({ startMs: t, energyKWh: (energyKWh * overlapMs) / spanMs, coverage: overlapMs / lengthMs });
  }
  return shares;
}

/** Starts of the intervals that [startMs, endMs) touches. */
export function intervalsTouched(startMs: number, endMs: number, minutes: IntervalMinutes): number[] {
  return apportion(startMs, endMs, 0, minutes).map((s) => s.startMs);
}
