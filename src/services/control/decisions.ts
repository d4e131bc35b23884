import type { ControlConfig } from '../../config/schema/control.js';
import { spaceTypeControlOf } from '../../config/schema/control.js';
import type { SpaceType } from '../../domain/energy.js';
import { DEFAULT_LIGHTING_TUNING } from '../../domain/planning/defaults.js';
import { onOccupancyEvent } from '../../domain/planning/occupancy-event.js';
import type { SpacePlan } from '../../domain/planning/types.js';
import { plannedValueAt } from '../../domain/planning/value-at.js';
import { type Decision, fallbackValue } from '../../domain/safety/apply-safety.js';
import { newSetpointId } from './audit.js';
import type { DeviceRuntime } from './dispatcher.js';

/** Presence holds the space's lights at least at `levelPct` until `untilMs`. */
export interface Presence {
  readonly untilMs: number;
  readonly levelPct: number;
}

function leaseEnd(nowMs: number, control: ControlConfig): number {
  return nowMs + control.leaseMaxMinutes * 60_000;
}

/** The plan's value for a device now, raised to the presence level while presence holds. */
export function planDecision(
  plan: SpacePlan,
  planId: string,
  rt: DeviceRuntime,
  presence: Presence | undefined,
  nowMs: number,
  control: ControlConfig,
): Decision | undefined {
  const planned = plannedValueAt(plan, rt.device.deviceId, nowMs);
  if (!planned) return undefined;
  let value = planned.value;
  let reason = planned.reason;
  if (
    value.kind === 'lighting' &&
    presence &&
    presence.untilMs > nowMs &&
    presence.levelPct > value.levelPct
  ) {
    value = { kind: 'lighting', levelPct: presence.levelPct };
    reason = 'presence: level held';
  }
  return {
    setpointId: newSetpointId(rt.device.deviceId, nowMs),
    planId,
    value,
    validUntilMs: leaseEnd(nowMs, control),
    reason,
    source: 'plan',
  };
}

/**
 * An occupancy message for a space's lights: the new presence hold, and the decisions that raise
 * lights now (presence cannot wait for a plan).
 */
export function occupancyDecisions(
  lights: readonly DeviceRuntime[],
  spaceType: SpaceType,
  planId: string | undefined,
  presence: Presence | undefined,
  event: { readonly occupied: boolean; readonly tsMs: number },
  nowMs: number,
  control: ControlConfig,
  /** Daylight share of full output to rely on now, % (see `presenceDaylightPct`). */
  daylightPct = 0,
): { presence: Presence | undefined; raises: [DeviceRuntime, Decision][] } {
  const levels = spaceTypeControlOf(control, spaceType);
  const raises: [DeviceRuntime, Decision][] = [];
  let next = presence;
  for (const rt of lights) {
    const last = rt.record.lastValue;
    const fb = fallbackValue(rt.device.ctx, rt.device.target, nowMs);
    // A device handed back runs its own schedule now, which may have changed since the hand-back
    // (a gym's lights off after closing time): its last recorded value would hide that.
    const current =
      !rt.record.handedBack && last?.kind === 'lighting'
        ? last.levelPct
        : fb.kind === 'lighting'
          ? fb.levelPct
          : 0;
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
    if (d.action !== 'raise' || planId === undefined) continue;
    raises.push([
      rt,
      {
        setpointId: newSetpointId(rt.device.deviceId, nowMs),
        planId,
        value: { kind: 'lighting', levelPct: d.levelPct },
        validUntilMs: leaseEnd(nowMs, control),
        reason: d.reason,
        source: 'occupancy',
      },
    ]);
  }
  return { presence: next, raises };
}

/** The level presence needs now: the occupied level less reliable daylight, never below the safety minimum. */
export function presenceLevelPct(spaceType: SpaceType, control: ControlConfig, daylightPct: number): number {
  const levels = spaceTypeControlOf(control, spaceType);
  const occupied = Math.max(levels.safetyMinLevelPct, levels.occupiedLevelPct);
  return Math.max(levels.safetyMinLevelPct, occupied - Math.max(0, daylightPct));
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
