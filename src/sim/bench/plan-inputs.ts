import {
  occupancyProbabilityFromHistory,
  type PresenceChange,
  SLOT_MS,
  slotStartMs,
} from '../../domain/planning/index.js';
import { localTime } from '../model/calendar.js';

const DAY_MS = 86_400_000;
/** Days of sensor history the occupancy profile reads. */
export const HISTORY_DAYS = 28;

/** Today's and tomorrow's slot probabilities, computed once per local day. */
export interface ProfileCache {
  readonly dayStartMs: number;
  readonly probability: readonly number[];
}

/**
 * Occupancy probability for the 96 slots from `startMs`, from four weeks of the space's own sensor
 * history (`occupancyProbabilityFromHistory`), recomputed once a local day: the history of the
 * current day adds little, and the profile is the costly part of planning.
 */
export function dailyOccupancyProfile(
  presence: readonly PresenceChange[],
  timeZone: string,
  nowMs: number,
  startMs: number,
  cache: ProfileCache | undefined,
): { probability: number[]; cache: ProfileCache } {
  const at = localTime(nowMs, timeZone, 'none');
  const dayStartMs = slotStartMs(nowMs - at.minuteOfDay * 60_000);
  let c = cache;
  if (c?.dayStartMs !== dayStartMs) {
    const from = nowMs - HISTORY_DAYS * DAY_MS;
    const today = occupancyProbabilityFromHistory(presence, from, nowMs, dayStartMs, timeZone);
    const tomorrow = occupancyProbabilityFromHistory(presence, from, nowMs, dayStartMs + DAY_MS, timeZone);
    c = { dayStartMs, probability: [...today, ...tomorrow] };
  }
  const offset = Math.round((startMs - dayStartMs) / SLOT_MS);
  return { probability: c.probability.slice(offset, offset + 96), cache: c };
}

/**
 * Outdoor temperature for the 96 slots from `startMs` by persistence: the same slot yesterday,
 * shifted by how much warmer it is now than a day ago (the shift fades over six hours).
 * `seen` maps slot numbers (ms / SLOT_MS) to the outdoor reading in that slot.
 */
export function persistenceForecast(seen: ReadonlyMap<number, number>, startMs: number): number[] {
  const slot0 = Math.floor(startMs / SLOT_MS);
  const nowC = seen.get(slot0) ?? seen.get(slot0 - 1);
  const dayAgoC = seen.get(slot0 - 96);
  const shift = nowC !== undefined && dayAgoC !== undefined ? nowC - dayAgoC : 0;
  const out: number[] = [];
  for (let i = 0; i < 96; i++) {
    const y = seen.get(slot0 + i - 96);
    out.push(y === undefined ? (nowC ?? 20) : y + shift * Math.max(0, 1 - i / 24));
  }
  return out;
}
