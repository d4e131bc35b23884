/**
 * Inputs and outputs of the planner. The planner owns these small shapes so that it stays pure and
 * testable on its own; the service maps config, forecasts, tariffs and sensor state onto them.
 *
 * Every series is a grid of 15-minute slots starting at `startMs` (the slot that holds "now"):
 * slot i covers [startMs + i * SLOT_MS, startMs + (i + 1) * SLOT_MS). Hourly forecasts are spread
 * onto slots with `hourlyToSlots` (grid.ts).
 */

export const SLOT_MINUTES = 15;
export const SLOT_MS = SLOT_MINUTES * 60_000;
/** 24 hours of 15-minute slots. */
export const HORIZON_SLOTS = 96;

export type SpaceTypeName =
  | 'lobby'
  | 'corridor'
  | 'elevator-hall'
  | 'garage'
  | 'gym'
  | 'clubhouse'
  | 'stairwell'
  | 'other';

/** Season mode the planner conditions in; `auto` and `fan` schedules are left to the schedule. */
export type ConditioningMode = 'cool' | 'heat';

/**
 * HVAC limits of a space type, structurally the same as the config's comfort band, so the service
 * can pass `spaceTypeControlOf(...).comfort` unchanged. Defaults follow China's rule for public
 * spaces: cooling setpoints not below 26 °C, heating setpoints not above 20 °C.
 */
export interface ComfortLimits {
  readonly coolSetpointMinC: number;
  readonly coolSetpointMaxC: number;
  readonly heatSetpointMaxC: number;
  readonly heatSetpointMinC: number;
  /** Occupied comfort band: discomfort is measured outside [comfortLowC, comfortHighC]. */
  readonly comfortLowC: number;
  readonly comfortHighC: number;
}

/** Light levels of a space type (structurally the config's per-type lighting levels). */
export interface LightingLevels {
  /** Never gone below, at any time (garages, stairwells, corridors keep a safety minimum). */
  readonly safetyMinLevelPct: number;
  /** Level the space needs while occupied; "under-lit occupied" means below this. */
  readonly occupiedLevelPct: number;
}

/**
 * Learned first-order RC model of a space: dT/dt = a (Tout - T) + g + gSolar s(t) + gOcc o(t) + b u,
 * T in °C, t in hours, s the solar proxy and o the occupancy (0..1).
 */
export interface ThermalRates {
  /** Coupling to outdoors, 1/h (UA / C). */
  readonly aPerH: number;
  /** Free drift from internal and solar gains, K/h (gains / C). */
  readonly gainKPerH: number;
  /** Cooling capacity at full output, K/h (negative: it lowers the temperature). */
  readonly coolKPerH: number;
  /** Heating capacity at full output, K/h (positive). */
  readonly heatKPerH: number;
  /** Extra gain at full sun by the time-of-day proxy (`solarProxyAt`), K/h; 0 when not learned. */
  readonly solarKPerH?: number;
  /** Extra gain while the space is occupied (people, their lights and plugs), K/h; 0 when not learned. */
  readonly occupancyKPerH?: number;
}

/** Per-slot value of the space's fixed schedule (what it runs today, its fallback). */
export interface ScheduledHvac {
  readonly mode: 'off' | 'cool' | 'heat' | 'fan' | 'auto';
  readonly setpointC?: number;
}

export interface LightingDeviceInput {
  readonly deviceId: string;
  readonly ratedPowerW: number;
  readonly minLevelPct?: number;
  readonly maxLevelPct?: number;
}

export interface HvacDeviceInput {
  readonly deviceId: string;
  readonly ratedPowerW: number;
  /** What the unit draws whenever it runs, output or not (its fans), W; absent: `fanShare` of rated. */
  readonly idlePowerW?: number;
  readonly minSetpointC?: number;
  readonly maxSetpointC?: number;
  /** Setpoints the device can take are multiples of this, °C (0.5 when absent). */
  readonly setpointStepC?: number;
}

/** Tunables of the lighting rules; `DEFAULT_LIGHTING_TUNING` holds the shipped values. */
export interface LightingTuning {
  /**
   * Forecast occupancy probability at or above which a slot is lit for occupants, in a space with
   * no occupancy sensor: low, since nothing else would light the space for an unexpected visitor.
   */
  readonly occupiedProbability: number;
  /** The same where an occupancy sensor raises the lights on presence: only likely presence pre-lights. */
  readonly occupiedProbabilityWithSensor: number;
  /** Minutes the occupied level is held after the last presence. */
  readonly holdMinutes: number;
  /** Fastest dimming, %/min; raises are never limited. */
  readonly decreasePctPerMinute: number;
  /** How long a daylight reading is trusted for planning, minutes. */
  readonly daylightValidMinutes: number;
}

/** Tunables of the HVAC rules; `DEFAULT_HVAC_TUNING` holds the shipped values. */
export interface HvacTuning {
  /** At or above: occupied; the schedule's setpoint holds. */
  readonly fullOccupancyProbability: number;
  /** At or above (and below full): low occupancy; the setpoint relaxes within the band. */
  readonly lowOccupancyProbability: number;
  /** How far low occupancy relaxes the setpoint toward the band edge, K. */
  readonly relaxC: number;
  /** Longest optimal start, minutes before occupancy. */
  readonly maxPreStartMinutes: number;
  /**
   * How long before the schedule's own start an optimal start may begin, minutes. The schedule's
   * hours are the hours the property conditions today: starting before them buys comfort the
   * schedule never gave with energy it never spent.
   */
  readonly preScheduleStartMinutes: number;
  /** Longest early stop (coast), minutes before the end of occupancy. */
  readonly maxEarlyStopMinutes: number;
  /** Share of learned capacity assumed when choosing a start time (a margin against model error). */
  readonly startCapacityFactor: number;
  /** How close to the occupied setpoint counts as reached at occupancy start, K. */
  readonly reachToleranceC: number;
  /** An idle setback slot is switched off only while the prediction stays this far inside the band edge, K. */
  readonly coastGuardC: number;
  /**
   * Margin inside the comfort band edge, K: optimal start aims to be this far inside the band by
   * occupancy start, relaxed setpoints stay this far inside it, and early stop coasts only while the
   * prediction does.
   */
  readonly bandMarginC: number;
  /** Pre-cooling / pre-heating is chosen only when it saves at least this share of the cost. */
  readonly preconditionMinSaving: number;
  /**
   * Share of rated input drawn by fans whenever the unit runs. `hvacTuning` replaces it with the
   * devices' own `idlePowerW` where they give one.
   */
  readonly fanShare: number;
  /**
   * After the schedule's hours, people who were there when they ended and have stayed since keep
   * the space inside the band (by the margin) for at most this long, minutes.
   */
  readonly afterHoursMaxMinutes: number;
}

export interface SensorSnapshot {
  /** Current occupancy sensor state; absent when the space has no sensor or it is stale. */
  readonly occupied?: boolean;
  /** When presence was last seen, ms. */
  readonly lastPresenceMs?: number;
  /**
   * Since when the occupancy sensor has said occupied without a break, ms; present only while its
   * last reading says occupied, even when a change-only sensor has been silent past its staleness.
   */
  readonly occupiedSinceMs?: number;
  readonly indoorTempC?: number;
  /** Illuminance reading, lx, and when it was taken. */
  readonly illuminanceLux?: number;
  readonly illuminanceTsMs?: number;
}

export interface LightingInput {
  readonly devices: readonly LightingDeviceInput[];
  readonly levels: LightingLevels;
  /** Level the lights are at now (last commanded or reported), %. */
  readonly currentLevelPct?: number;
  /** Illuminance the lights give at 100 % with no daylight, lx; enables daylight harvesting. */
  readonly fullOutputLux?: number;
  readonly tuning?: Partial<LightingTuning>;
}

export interface HvacInput {
  readonly devices: readonly HvacDeviceInput[];
  readonly comfort: ComfortLimits;
  readonly rates: ThermalRates;
  /** The fixed schedule's value per slot (same grid as the forecast). */
  readonly schedule: readonly ScheduledHvac[];
  /**
   * When the schedule last stopped cooling or heating, ms, if that was within the last few hours
   * and it is off now: people still there then are not left to drift out of the band.
   */
  readonly scheduleEndedMs?: number;
  /**
   * The temperature the fixed schedule would have left the space at by now, °C (predicted, see
   * `advanceScheduleShadow`): where the schedule's own discomfort is predicted from. None: from
   * the measured temperature.
   */
  readonly scheduleShadowTempC?: number;
  readonly tuning?: Partial<HvacTuning>;
}

export interface PlanInput {
  readonly spaceId: string;
  readonly spaceType: SpaceTypeName;
  /** Start of slot 0, ms, on a 15-minute boundary. */
  readonly startMs: number;
  /** Forecast per slot; a shorter series repeats its last value. */
  readonly occupancyProbability: readonly number[];
  readonly outdoorTempC: readonly number[];
  readonly pricePerKWh: readonly number[];
  /** Solar gain proxy per slot, 0..1 (`solarProxyAt`); none: no solar term. */
  readonly solarProxy?: readonly number[];
  readonly sensors: SensorSnapshot;
  readonly lighting?: LightingInput;
  readonly hvac?: HvacInput;
}

/** Why an HVAC slot has its value. */
export type HvacPhase =
  | 'off'
  | 'occupied'
  | 'relaxed'
  | 'setback'
  | 'optimal-start'
  | 'precondition'
  | 'early-stop'
  | 'after-hours'
  | 'peak-deferred';

export interface HvacSlot {
  readonly mode: 'off' | ConditioningMode;
  /** Present whenever mode is cool or heat. */
  readonly setpointC?: number;
  readonly phase: HvacPhase;
  readonly reason: string;
}

export interface LightingSlot {
  readonly levelPct: number;
  readonly reason: string;
}

/** A change of value at a slot, with the reason that goes into the setpoint payload. */
export interface PlanChange {
  readonly slot: number;
  readonly tsMs: number;
  readonly reason: string;
}

export interface LightingDevicePlan {
  readonly deviceId: string;
  readonly kind: 'lighting';
  readonly ratedPowerW: number;
  readonly slots: readonly LightingSlot[];
  readonly changes: readonly PlanChange[];
}

export interface HvacDevicePlan {
  readonly deviceId: string;
  readonly kind: 'hvac';
  readonly ratedPowerW: number;
  readonly slots: readonly HvacSlot[];
  readonly changes: readonly PlanChange[];
}

export interface SpacePlan {
  readonly spaceId: string;
  readonly createdAtMs: number;
  readonly startMs: number;
  readonly slotMs: number;
  readonly lighting: readonly LightingDevicePlan[];
  readonly hvac: readonly HvacDevicePlan[];
  /** HVAC season mode of the plan, or null when the schedule conditions nothing in the horizon. */
  readonly hvacMode: ConditioningMode | null;
  /** Predicted indoor temperature at the end of each slot under the plan, °C (empty without HVAC). */
  readonly predictedTempC: readonly number[];
  /** Comfort margin per slot, K: distance of the predicted temperature inside the band edge. */
  readonly comfortMarginK: readonly number[];
  /** Predicted HVAC energy and cost over the horizon. */
  readonly hvacEnergyKWh: number;
  readonly hvacCost: number;
}
