import { IANAZone } from 'luxon';
import { HORIZON_SLOTS, SLOT_MS } from './types.js';

const DAY_MS = 86_400_000;
const SLOTS_PER_DAY = DAY_MS / SLOT_MS;
const SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY;

/** A change of an occupancy sensor (motion sensors report on change). */
export interface PresenceChange {
  readonly tsMs: number;
  readonly occupied: boolean;
}

export interface ProfileOptions {
  /** Probability with no history for a slot of the week; 0.5 keeps a cold start on the schedule's side. */
  readonly priorProbability?: number;
  /** Weight of the prior, in observed weeks. */
  readonly priorWeeks?: number;
}

/** Local slot of the week, Monday 00:00 = 0, in the site's zone. */
export function slotOfWeek(tsMs: number, zone: IANAZone): number {
  const localMs = tsMs + zone.offset(tsMs) * 60_000;
  const day = Math.floor(localMs / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const slotOfDay = Math.floor((localMs - day * DAY_MS) / SLOT_MS);
  return weekday * SLOTS_PER_DAY + slotOfDay;
}

/**
 * Occupancy probability per 15-minute slot of the horizon, from the space's own sensor history:
 * for each local slot of the week, the share of observed weeks with any presence in that slot,
 * pulled toward a prior where history is thin. History is the sensor's changes within
 * [fromMs, toMs); the state before the first change is taken as unoccupied.
 */
export function occupancyProbabilityFromHistory(
  changes: readonly PresenceChange[],
  fromMs: number,
  toMs: number,
  startMs: number,
  timeZone: string,
  options: ProfileOptions = {},
): number[] {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  const prior = options.priorProbability ?? 0.5;
  const k = options.priorWeeks ?? 1;
  const firstSlot = Math.ceil(fromMs / SLOT_MS);
  const endSlot = Math.floor(toMs / SLOT_MS);
  const n = Math.max(0, endSlot - firstSlot);
  const occupiedSlot = new Uint8Array(n);
  const sorted = [...changes].filter((c) => Number.isFinite(c.tsMs)).sort((a, b) => a.tsMs - b.tsMs);
  let state = false;
  let since = fromMs;
  const mark = (a: number, b: number) => {
    const lo = Math.max(0, Math.floor(a / SLOT_MS) - firstSlot);
    const hi = Math.min(n, Math.ceil(b / SLOT_MS) - firstSlot);
    for (let s = lo; s < hi; s++) occupiedSlot[s] = 1;
  };
  for (const c of sorted) {
    if (c.tsMs >= toMs) break;
    if (state && c.tsMs > since) mark(Math.max(since, fromMs), c.tsMs);
    if (c.occupied && !state) since = Math.max(c.tsMs, fromMs);
    if (c.occupied) mark(Math.max(c.tsMs, fromMs), Math.max(c.tsMs, fromMs) + 1);
    state = c.occupied;
  }
  if (state) mark(since, toMs);
  const seen = new Float64Array(SLOTS_PER_WEEK);
  const hits = new Float64Array(SLOTS_PER_WEEK);
  for (let s = 0; s < n; s++) {
    const w = slotOfWeek((firstSlot + s) * SLOT_MS, zone);
    seen[w] = (seen[w] ?? 0) + 1;
    hits[w] = (hits[w] ?? 0) + (occupiedSlot[s] ?? 0);
  }
  const out: number[] = [];
  for (let i = 0; i < HORIZON_SLOTS; i++) {
    const w = slotOfWeek(startMs + i * SLOT_MS, zone);
    out.push(((hits[w] ?? 0) + prior * k) / ((seen[w] ?? 0) + k));
  }
  return out;
}
