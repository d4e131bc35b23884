import { DEFAULT_HVAC_TUNING } from './defaults.js';
import { at, clamp } from './grid.js';
import type {
  ComfortLimits,
  ConditioningMode,
  HvacDeviceInput,
  HvacInput,
  HvacPhase,
  HvacTuning,
  PlanInput,
} from './types.js';
import { HORIZON_SLOTS } from './types.js';

export function hvacTuning(input: HvacInput): HvacTuning {
  const tuning = { ...DEFAULT_HVAC_TUNING, ...input.tuning };
  return { ...tuning, fanShare: fanShareOf(input.devices, tuning.fanShare) };
}

/**
 * The share of the units' rated input drawn whenever they run: their own `idlePowerW` where given,
 * `defaultShare` of rated where not (a tenth by default, as in many split and VRF units).
 */
export function fanShareOf(devices: readonly HvacDeviceInput[], defaultShare: number): number {
  let ratedW = 0;
  let idleW = 0;
  for (const d of devices) {
    ratedW += d.ratedPowerW;
    idleW += d.idlePowerW ?? defaultShare * d.ratedPowerW;
  }
  return ratedW > 0 ? clamp(idleW / ratedW, 0, 1) : defaultShare;
}

/**
 * Range a setpoint may take in a mode: the mode's setpoint limits intersected with the comfort band.
 * Where the band lies wholly outside the limits, the limits win: the range is the limit nearest the band.
 */
export interface SetpointRange {
  readonly loC: number;
  readonly hiC: number;
  /** The relaxed end of the range (cool: highest, heat: lowest): setback and coasting go here. */
  readonly edgeC: number;
  /** The demanding end (cool: lowest, heat: highest): pre-conditioning may go here, never beyond. */
  readonly deepC: number;
}

export function setpointRange(comfort: ComfortLimits, mode: ConditioningMode): SetpointRange {
  if (mode === 'cool') {
    const loC = Math.min(comfort.coolSetpointMaxC, Math.max(comfort.coolSetpointMinC, comfort.comfortLowC));
    const hiC = Math.max(loC, Math.min(comfort.coolSetpointMaxC, comfort.comfortHighC));
    return { loC, hiC, edgeC: hiC, deepC: loC };
  }
  const hiC = Math.max(comfort.heatSetpointMinC, Math.min(comfort.heatSetpointMaxC, comfort.comfortHighC));
  const loC = Math.min(hiC, Math.max(comfort.heatSetpointMinC, comfort.comfortLowC));
  return { loC, hiC, edgeC: loC, deepC: hiC };
}

/** The comfort band's edge on the relaxed side (cool: its upper limit, heat: its lower limit). */
export function bandEdgeC(comfort: ComfortLimits, mode: ConditioningMode): number {
  return mode === 'cool' ? comfort.comfortHighC : comfort.comfortLowC;
}

/**
 * Where occupied comfort is aimed: inside the band's relaxed edge by the margin, so that a
 * thermostat's swing and the model's error stay inside the band.
 */
export function occupiedAimC(comfort: ComfortLimits, mode: ConditioningMode, marginC: number): number {
  return bandEdgeC(comfort, mode) - relaxSign(mode) * marginC;
}

/** +1 when a higher setpoint asks less of the equipment (cooling), -1 when lower does (heating). */
export function relaxSign(mode: ConditioningMode): 1 | -1 {
  return mode === 'cool' ? 1 : -1;
}

/**
 * The season mode of the horizon: cool or heat when the schedule conditions in exactly one of them.
 * A schedule that uses fan or auto, or both cool and heat, is left to itself (null): the planner
 * cannot offer the same comfort with a single mode, so it does not plan that HVAC at all.
 */
export function seasonMode(hvac: HvacInput): ConditioningMode | null {
  const modes = new Set(hvac.schedule.slice(0, HORIZON_SLOTS).map((s) => s.mode));
  modes.delete('off');
  if (modes.size !== 1) return null;
  const [only] = modes;
  return only === 'cool' || only === 'heat' ? only : null;
}

export interface Target {
  readonly mode: 'off' | ConditioningMode;
  readonly setpointC?: number;
  readonly phase: HvacPhase;
  readonly reason: string;
}

const fmt = (c: number): string => `${Math.round(c * 10) / 10} °C`;

/**
 * What each slot asks for before timing is optimised. Only the schedule's hours are conditioned
 * (outside them the building has never been conditioned, so no comfort is owed there). Inside them:
 * likely occupancy -> the schedule's own setpoint (equal comfort); low occupancy -> relaxed toward
 * the band edge; no expected occupancy -> held at the band edge, so an unexpected visitor still
 * finds the space inside the comfort band. Presence seen now makes the current slot occupied.
 */
export function desiredTargets(input: PlanInput, hvac: HvacInput, mode: ConditioningMode): Target[] {
  const tuning = hvacTuning(hvac);
  const range = setpointRange(hvac.comfort, mode);
  const sign = relaxSign(mode);
  const fallbackSp = hvac.schedule.find((s) => s.mode === mode && s.setpointC !== undefined)?.setpointC;
  const reference = fallbackSp ?? range.deepC;
  const out: Target[] = [];
  for (let i = 0; i < HORIZON_SLOTS; i++) {
    const sched = hvac.schedule[Math.min(i, hvac.schedule.length - 1)];
    if (!sched || sched.mode !== mode) {
      out.push(i === 0 ? afterHoursTarget(input, hvac, mode, tuning) : OFF_HOURS);
      continue;
    }
    const askedSp = sched.setpointC ?? reference;
    const occupiedSp = clamp(askedSp, range.loC, range.hiC);
    // The setpoint limits win over the site's own schedule (config check warns of it): say so.
    const clamped =
      Math.abs(askedSp - occupiedSp) > 1e-9 ? ` (the schedule's ${fmt(askedSp)} clamped to the limit)` : '';
    const prob = at(input.occupancyProbability, i, 1);
    const presentNow = i === 0 && input.sensors.occupied === true;
    const pct = Math.round(prob * 100);
    if (presentNow || prob >= tuning.fullOccupancyProbability) {
      out.push({
        mode,
        setpointC: occupiedSp,
        phase: 'occupied',
        reason: presentNow
          ? `presence: schedule setpoint ${fmt(occupiedSp)}${clamped}`
          : `occupied (forecast ${pct}%): schedule setpoint ${fmt(occupiedSp)}${clamped}`,
      });
    } else if (prob >= tuning.lowOccupancyProbability) {
      // Never closer to the band edge than the margin: someone is expected, if rarely.
      const relaxed = clamp(occupiedSp + sign * tuning.relaxC, range.loC, range.hiC);
      const limit = occupiedAimC(hvac.comfort, mode, tuning.bandMarginC);
      const sp =
        sign * (relaxed - limit) > 0 ? (sign * (occupiedSp - limit) > 0 ? occupiedSp : limit) : relaxed;
      out.push({
        mode,
        setpointC: sp,
        phase: 'relaxed',
        reason: `low occupancy (forecast ${pct}%): relaxed to ${fmt(sp)} within the band`,
      });
    } else {
      out.push({
        mode,
        setpointC: range.edgeC,
        phase: 'setback',
        reason: `unoccupied (forecast ${pct}%): setback to band edge ${fmt(range.edgeC)}`,
      });
    }
  }
  return out;
}

const OFF_HOURS: Target = { mode: 'off', phase: 'off', reason: 'outside scheduled hours: off' };

/**
 * Outside the schedule's hours nothing is conditioned, except for people who were there when the
 * hours ended and have stayed since (a gym's last users, lit by presence): for at most
 * `afterHoursMaxMinutes` the space is kept inside the band by the margin while they stay, so that it
 * does not drift out of the band on them. The unit runs only if it must (see `idleSetback`).
 */
function afterHoursTarget(
  input: PlanInput,
  hvac: HvacInput,
  mode: ConditioningMode,
  tuning: HvacTuning,
): Target {
  const endedMs = hvac.scheduleEndedMs;
  const since = input.sensors.occupiedSinceMs;
  if (endedMs === undefined || since === undefined) return OFF_HOURS;
  if (since > endedMs || input.startMs - endedMs >= tuning.afterHoursMaxMinutes * 60_000) return OFF_HOURS;
  const sp = occupiedAimC(hvac.comfort, mode, tuning.bandMarginC);
  return {
    mode,
    setpointC: sp,
    phase: 'after-hours',
    reason: `people here since before the scheduled hours ended: kept within ${fmt(sp)}`,
  };
}

/** How much a target asks of the equipment, K on the relaxed-to-demanding scale (off: -Infinity). */
export function demand(t: { mode: string; setpointC?: number }, mode: ConditioningMode): number {
  if (t.mode === 'off' || t.setpointC === undefined) return Number.NEGATIVE_INFINITY;
  return -relaxSign(mode) * t.setpointC;
}

export { fmt as formatC };
