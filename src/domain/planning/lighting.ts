import { DEFAULT_LIGHTING_TUNING } from './defaults.js';
import { at, clamp } from './grid.js';
import type { LightingInput, LightingSlot, LightingTuning, PlanInput, SensorSnapshot } from './types.js';
import { HORIZON_SLOTS, SLOT_MINUTES, SLOT_MS } from './types.js';

export function lightingTuning(input: LightingInput): LightingTuning {
  return { ...DEFAULT_LIGHTING_TUNING, ...input.tuning };
}

/**
 * Daylight share of full artificial output, %, from an illuminance reading: the reading minus what
 * the lights themselves give at their current level. Unknown current level -> 0 (no reduction).
 */
export function daylightPct(
  sensors: SensorSnapshot,
  currentLevelPct: number | undefined,
  fullOutputLux: number | undefined,
): number {
  if (sensors.illuminanceLux === undefined || currentLevelPct === undefined) return 0;
  if (fullOutputLux === undefined || fullOutputLux <= 0) return 0;
  const artificialLux = (clamp(currentLevelPct, 0, 100) / 100) * fullOutputLux;
  const daylightLux = Math.max(0, sensors.illuminanceLux - artificialLux);
  return (daylightLux / fullOutputLux) * 100;
}

/**
 * The level to command now when moving from `fromPct` toward `targetPct`: a raise is immediate,
 * a decrease goes no faster than `ratePctPerMinute` (a sudden dimming is what residents notice).
 */
export function rampLevel(
  fromPct: number,
  targetPct: number,
  elapsedMs: number,
  ratePctPerMinute: number,
): number {
  if (targetPct >= fromPct) return targetPct;
  return Math.max(targetPct, fromPct - (ratePctPerMinute * Math.max(0, elapsedMs)) / 60_000);
}

/** Until when presence keeps the lights at the occupied level, ms (or -Infinity). */
export function presenceHoldUntilMs(sensors: SensorSnapshot, nowMs: number, holdMinutes: number): number {
  const holdMs = holdMinutes * 60_000;
  let until = Number.NEGATIVE_INFINITY;
  if (sensors.occupied === true) until = nowMs + holdMs;
  if (sensors.lastPresenceMs !== undefined) until = Math.max(until, sensors.lastPresenceMs + holdMs);
  return until;
}

/**
 * Space lighting level per slot. Occupied slots (presence held into a later slot; the forecast too,
 * except in the current slot of a space with a working occupancy sensor, where the presence hold
 * applied at dispatch keeps the lights up while it lasts) get the level the space type needs,
 * less what fresh daylight provides; other slots fall to the safety minimum;
 * nothing ever goes below the safety minimum; and each slot dims at most the rate limit allows.
 */
export function planLightingLevels(input: PlanInput, nowMs: number): LightingSlot[] {
  const lighting = input.lighting;
  if (!lighting) return [];
  const tuning = lightingTuning(lighting);
  const { safetyMinLevelPct, occupiedLevelPct } = lighting.levels;
  const floorPct = clamp(safetyMinLevelPct, 0, 100);
  const occupiedPct = Math.max(floorPct, clamp(occupiedLevelPct, 0, 100));
  const hasSensor = input.sensors.occupied !== undefined || input.sensors.lastPresenceMs !== undefined;
  const threshold = hasSensor ? tuning.occupiedProbabilityWithSensor : tuning.occupiedProbability;
  const holdUntil = presenceHoldUntilMs(input.sensors, nowMs, tuning.holdMinutes);
  const dayPct = daylightPct(input.sensors, lighting.currentLevelPct, lighting.fullOutputLux);
  const daylightUntil =
    input.sensors.illuminanceTsMs === undefined
      ? Number.NEGATIVE_INFINITY
      : input.sensors.illuminanceTsMs + tuning.daylightValidMinutes * 60_000;
  const maxDropPerSlot = tuning.decreasePctPerMinute * SLOT_MINUTES;

  const slots: LightingSlot[] = [];
  let prev = lighting.currentLevelPct;
  for (let i = 0; i < HORIZON_SLOTS; i++) {
    const slotStart = input.startMs + i * SLOT_MS;
    const prob = at(input.occupancyProbability, i, 1);
    // The current slot is left to the presence hold, which the dispatcher applies minute by minute:
    // lit here, the slot would keep the lights up to its end, up to 15 minutes after the hold ran out.
    const present = i > 0 && slotStart < holdUntil;
    // Now, a working sensor knows better than the forecast: the lights follow it (presence raises
    // them within seconds); later slots, which no sensor can see yet, follow the forecast.
    const occupied = present || (prob >= threshold && !(i === 0 && hasSensor));
    let level = floorPct;
    let reason = floorPct > 0 ? `unoccupied: safety minimum ${floorPct}%` : 'unoccupied: off';
    if (occupied) {
      level = occupiedPct;
      reason = present
        ? `presence: occupied level ${occupiedPct}%`
        : `occupancy forecast ${Math.round(prob * 100)}%: occupied level ${occupiedPct}%`;
      const freshDaylight = slotStart < daylightUntil && dayPct > 0;
      if (freshDaylight) {
        // Lit level = artificial + daylight share: it still meets the occupied level.
        const reduced = Math.max(floorPct, occupiedPct - dayPct);
        if (reduced < level) {
          level = reduced;
          reason = `daylight covers ${Math.round(occupiedPct - reduced)}% of the occupied level`;
        }
      }
    }
    if (prev !== undefined && level < prev - maxDropPerSlot) {
      level = prev - maxDropPerSlot;
      reason = `${reason} (dimming rate-limited)`;
    }
    // Whole percent (the finest native step), rounded up so it never sits under the needed level.
    level = Math.ceil(level - 1e-9);
    slots.push({ levelPct: level, reason });
    prev = level;
  }
  return slots;
}
