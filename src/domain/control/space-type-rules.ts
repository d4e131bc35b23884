import type { ComfortBand, ControlConfig } from '../../config/schema/control.js';
import type { SpaceType } from '../energy.js';

/**
 * Built-in lighting per space type; a corridor, stairwell or garage is never dark. The presence hold
 * follows how a space is used: people pass through a lobby, corridor, elevator hall, stairwell or
 * garage within a minute or two (sensor time delays of 1-5 min are usual there), but sit still in a
 * gym or clubhouse, where a motion sensor can miss them for a while.
 */
export const SPACE_TYPE_LIGHTING_DEFAULTS: Readonly<
  Record<SpaceType, { safetyMinLevelPct: number; occupiedLevelPct: number; presenceHoldMinutes: number }>
> = {
  lobby: { safetyMinLevelPct: 0, occupiedLevelPct: 80, presenceHoldMinutes: 5 },
  corridor: { safetyMinLevelPct: 10, occupiedLevelPct: 60, presenceHoldMinutes: 5 },
  'elevator-hall': { safetyMinLevelPct: 0, occupiedLevelPct: 70, presenceHoldMinutes: 5 },
  garage: { safetyMinLevelPct: 15, occupiedLevelPct: 60, presenceHoldMinutes: 5 },
  gym: { safetyMinLevelPct: 0, occupiedLevelPct: 90, presenceHoldMinutes: 10 },
  clubhouse: { safetyMinLevelPct: 0, occupiedLevelPct: 80, presenceHoldMinutes: 10 },
  stairwell: { safetyMinLevelPct: 10, occupiedLevelPct: 60, presenceHoldMinutes: 5 },
  other: { safetyMinLevelPct: 0, occupiedLevelPct: 70, presenceHoldMinutes: 10 },
};

/** A space type's light levels, presence hold and HVAC limits after the site's overrides. */
export interface SpaceTypeRules {
  readonly safetyMinLevelPct: number;
  readonly occupiedLevelPct: number;
  readonly presenceHoldMinutes: number;
  readonly comfort: ComfortBand;
}

/** Effective light levels and HVAC limits of a space type: overrides over built-in defaults. */
export function spaceTypeControlOf(
  control: Pick<ControlConfig, 'spaceTypes' | 'comfort'>,
  type: SpaceType,
): SpaceTypeRules {
  const base = SPACE_TYPE_LIGHTING_DEFAULTS[type];
  const o = control.spaceTypes[type];
  return {
    safetyMinLevelPct: o?.safetyMinLevelPct ?? base.safetyMinLevelPct,
    occupiedLevelPct: o?.occupiedLevelPct ?? base.occupiedLevelPct,
    presenceHoldMinutes: o?.presenceHoldMinutes ?? base.presenceHoldMinutes,
    comfort: o?.comfort ?? control.comfort,
  };
}
