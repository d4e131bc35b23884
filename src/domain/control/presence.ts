import { daylightLeftShare } from '../daylight/sun.js';
import { DEFAULT_LIGHTING_TUNING } from '../planning/defaults.js';
import { daylightPct } from '../planning/lighting.js';
import { type OccupancyEvent, onOccupancyEvent } from '../planning/occupancy-event.js';
import type { LightingLevels } from '../planning/types.js';

/** Presence holds the space's lights at least at `levelPct` until `untilMs`. */
export interface Presence {
  readonly untilMs: number;
  readonly levelPct: number;
}

/** A space type's light levels and how long presence holds them (`spaceTypeControlOf` gives these). */
export interface PresenceLevels extends LightingLevels {
  readonly presenceHoldMinutes: number;
}

/** What the control loop remembers about people in one space between decisions. */
export interface PresenceState {
  readonly hold: Presence | undefined;
  /** Since when the occupancy sensor has said occupied without a break (after-hours comfort). */
  readonly occupiedSinceMs: number | undefined;
}

/**
 * Longest silence of an occupancy sensor whose last reading says occupied that still counts as
 * presence for the lights. A sensor that reports only on change says nothing while someone stays
 * (a gym in use from afternoon to after midnight), so its staleness threshold, made for quiet empty
 * nights, must not switch the lights off on them; a sensor stuck at occupied for a day is dead.
 */
export const OCCUPIED_SILENCE_MAX_MS = 24 * 3_600_000;

/** Whether the space's latest occupancy reading says occupied now (silence up to a day included). */
export function occupiedReading(
  occupancy: { readonly value: number; readonly tsMs: number } | undefined,
  nowMs: number,
): boolean {
  return occupancy !== undefined && occupancy.value > 0 && nowMs - occupancy.tsMs <= OCCUPIED_SILENCE_MAX_MS;
}

/** The level presence needs now: the occupied level less reliable daylight, never below the safety minimum. */
export function presenceLevelPct(levels: LightingLevels, daylightPct: number): number {
  const occupied = Math.max(levels.safetyMinLevelPct, levels.occupiedLevelPct);
  return Math.max(levels.safetyMinLevelPct, occupied - Math.max(0, daylightPct));
}

/** An occupancy reading starts the after-hours spell, or ends it on vacancy. */
export function occupiedSinceAfter(
  sinceMs: number | undefined,
  occupied: boolean,
  tsMs: number,
): number | undefined {
  return occupied ? (sinceMs ?? tsMs) : undefined;
}

/**
 * Presence while the occupancy reading says occupied: the hold continues, or starts again if it
 * was lost (the lights are held at least at `levelPct` whatever the plan or the schedule says).
 */
export function extendPresence(
  presence: Presence | undefined,
  occupied: boolean,
  levelPct: number,
  nowMs: number,
  holdMinutes: number = DEFAULT_LIGHTING_TUNING.holdMinutes,
): Presence | undefined {
  if (!occupied) return presence;
  const until = nowMs + holdMinutes * 60_000;
  const held = presence !== undefined && presence.untilMs > nowMs ? presence.levelPct : 0;
  return { untilMs: Math.max(presence?.untilMs ?? 0, until), levelPct: Math.max(held, levelPct) };
}

/**
 * The space's presence at a control tick. `occupied` is the latest reading (see `occupiedReading`);
 * a reading gone silent past its limit ends the after-hours spell too. `daylightPct` is the daylight
 * the presence level may rely on now, undefined where the space does not use daylight: where it
 * does, the level follows it every tick (at dusk the lights come up as it fades, rather than at the
 * next plan), also for presence seen before the start.
 */
export function presenceAtTick(
  state: PresenceState,
  occupied: boolean,
  levels: PresenceLevels,
  daylightPct: number | undefined,
  nowMs: number,
): PresenceState {
  const occupiedSinceMs = occupied ? state.occupiedSinceMs : undefined;
  const prev = state.hold;
  if (daylightPct === undefined) {
    const hold = extendPresence(
      prev,
      occupied,
      presenceLevelPct(levels, 0),
      nowMs,
      levels.presenceHoldMinutes,
    );
    return { hold, occupiedSinceMs };
  }
  const held = prev !== undefined && prev.untilMs > nowMs;
  if (!occupied && !held) return { hold: prev, occupiedSinceMs };
  const untilMs = Math.max(prev?.untilMs ?? 0, occupied ? nowMs + levels.presenceHoldMinutes * 60_000 : 0);
  return { hold: { untilMs, levelPct: presenceLevelPct(levels, daylightPct) }, occupiedSinceMs };
}

/** A light to raise now on presence. */
export interface Raise {
  /** Position of the light in the list given. */
  readonly index: number;
  readonly levelPct: number;
  readonly reason: string;
}

/**
 * An occupancy message for a space's lights: the new presence hold, and the lights to raise now
 * (presence cannot wait for a plan). `currentLevelsPct` are the levels the lights run at now.
 */
export function occupancyRaises(
  currentLevelsPct: readonly number[],
  levels: PresenceLevels,
  presence: Presence | undefined,
  event: OccupancyEvent,
  nowMs: number,
  /** Daylight share of full output to rely on now, %. */
  daylightPct = 0,
): { presence: Presence | undefined; raises: Raise[] } {
  const raises: Raise[] = [];
  let next = presence;
  currentLevelsPct.forEach((current, index) => {
    const d = onOccupancyEvent(
      {
        levels,
        holdMinutes: levels.presenceHoldMinutes,
        currentLevelPct: current,
        ...(daylightPct > 0 ? { daylightPct, daylightTsMs: nowMs } : {}),
      },
      event,
      nowMs,
    );
    const held = next && next.untilMs > nowMs ? next.levelPct : 0;
    // Vacancy leaves the hold as the last presence report set it.
    if (d.holdUntilMs !== undefined) next = { untilMs: d.holdUntilMs, levelPct: Math.max(d.levelPct, held) };
    if (d.action === 'raise') raises.push({ index, levelPct: d.levelPct, reason: d.reason });
  });
  return { presence: next, raises };
}

/** A reading older than this is not relied on for the presence level (daylight falls fast at dusk). */
const PRESENCE_READING_MAX_AGE_MS = 5 * 60_000;
/** Share of the measured daylight relied on, and a margin in points: the reading is up to minutes old. */
const DAYLIGHT_TRUST = 0.8;
const DAYLIGHT_MARGIN_PCT = 5;

/** Where a site is, for the sun's position: without it daylight is never scaled by the sun. */
export interface SitePosition {
  readonly latitude: number;
  readonly longitude: number;
}

/**
 * Daylight share of full output to rely on now for the presence level, %: a fresh reading less
 * what the lights gave when it was taken, scaled by how much of the daylight the sun still gives
 * since (`daylightLeftShare`, where the site's position is known), and discounted for its age. The
 * lights may have been dimmed since the reading, at most `dimPctPerMinute` a minute: the level
 * subtracted is the highest they can have run then, so a dimming never reads as daylight (which
 * would dim them further).
 */
export function presenceDaylightPct(
  fullOutputLux: number | undefined,
  reading: { readonly value: number; readonly tsMs: number; readonly stale: boolean } | undefined,
  runningLevelPct: number | undefined,
  nowMs: number,
  position?: SitePosition,
  dimPctPerMinute = 0,
): number {
  if (fullOutputLux === undefined || !reading || reading.stale) return 0;
  const ageMs = nowMs - reading.tsMs;
  if (ageMs > PRESENCE_READING_MAX_AGE_MS) return 0;
  const levelThenPct =
    runningLevelPct === undefined
      ? undefined
      : Math.min(100, runningLevelPct + dimPctPerMinute * (Math.max(0, ageMs) / 60_000));
  const leftShare = position
    ? daylightLeftShare(reading.tsMs, nowMs, position.latitude, position.longitude)
    : 1;
  const pct = daylightPct({ illuminanceLux: reading.value }, levelThenPct, fullOutputLux) * leftShare;
  return Math.max(0, DAYLIGHT_TRUST * pct - DAYLIGHT_MARGIN_PCT);
}
