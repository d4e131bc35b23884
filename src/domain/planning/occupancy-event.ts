import { DEFAULT_LIGHTING_TUNING } from './defaults.js';
import { clamp } from './grid.js';
import type { LightingLevels } from './types.js';

/** What the dispatcher knows about a space's lights when an occupancy message arrives. */
export interface LightingState {
  readonly levels: LightingLevels;
  /** Level commanded or reported now, %. */
  readonly currentLevelPct: number;
  /** Daylight share of full output, % (see `daylightPct`), and when it was measured. */
  readonly daylightPct?: number;
  readonly daylightTsMs?: number;
  readonly holdMinutes?: number;
  readonly daylightValidMinutes?: number;
}

export interface OccupancyEvent {
  readonly occupied: boolean;
  readonly tsMs: number;
}

export interface OccupancyDecision {
  /** raise: publish `levelPct` now; none: leave the lights as they are (the plan dims later). */
  readonly action: 'raise' | 'none';
  readonly levelPct: number;
  /**
   * Presence holds the occupied level at least until then, ms. Absent on vacancy: a vacancy report
   * starts no hold (sensors repeat it every few minutes; each would otherwise keep an empty space
   * lit), the hold runs from the last presence report.
   */
  readonly holdUntilMs?: number;
  readonly reason: string;
}

/**
 * Immediate response to an occupancy message: presence raises the lights to the level the space
 * type needs when occupied (less fresh daylight), at once and with no rate limit; vacancy changes
 * nothing now, since only the plan dims and only at the dimming rate limit after the hold time
 * that began with the last presence report.
 */
export function onOccupancyEvent(
  state: LightingState,
  event: OccupancyEvent,
  nowMs: number,
): OccupancyDecision {
  const holdMs = (state.holdMinutes ?? DEFAULT_LIGHTING_TUNING.holdMinutes) * 60_000;
  const floorPct = clamp(state.levels.safetyMinLevelPct, 0, 100);
  const current = clamp(state.currentLevelPct, 0, 100);
  if (!event.occupied) {
    return {
      action: 'none',
      levelPct: Math.max(current, floorPct),
      reason: 'vacancy: level held, the plan dims after the hold time',
    };
  }
  const occupiedPct = Math.max(floorPct, clamp(state.levels.occupiedLevelPct, 0, 100));
  const validMs = (state.daylightValidMinutes ?? DEFAULT_LIGHTING_TUNING.daylightValidMinutes) * 60_000;
  const fresh = state.daylightTsMs !== undefined && nowMs - state.daylightTsMs <= validMs;
  const dayPct = fresh ? Math.max(0, state.daylightPct ?? 0) : 0;
  const target = Math.max(floorPct, occupiedPct - dayPct);
  const holdUntilMs = Math.max(nowMs, event.tsMs) + holdMs;
  if (current >= target) {
    return { action: 'none', levelPct: current, holdUntilMs, reason: 'presence: already lit' };
  }
  return {
    action: 'raise',
    levelPct: target,
    holdUntilMs,
    reason: dayPct > 0 ? `presence: raised to ${target}% with daylight` : `presence: raised to ${target}%`,
  };
}
