import type { ComfortLimits, HvacTuning, LightingTuning, ThermalRates } from './types.js';

/** China's rule for public spaces (cooling not below 26 °C, heating not above 20 °C), as in the config. */
export const DEFAULT_COMFORT: ComfortLimits = {
  coolSetpointMinC: 26,
  coolSetpointMaxC: 30,
  heatSetpointMaxC: 20,
  heatSetpointMinC: 14,
  comfortLowC: 18,
  comfortHighC: 28,
};

export const DEFAULT_LIGHTING_TUNING: LightingTuning = {
  occupiedProbability: 0.05,
  occupiedProbabilityWithSensor: 0.6,
  holdMinutes: 10,
  decreasePctPerMinute: 10,
  daylightValidMinutes: 30,
};

export const DEFAULT_HVAC_TUNING: HvacTuning = {
  fullOccupancyProbability: 0.4,
  lowOccupancyProbability: 0.1,
  relaxC: 1,
  maxPreStartMinutes: 180,
  preScheduleStartMinutes: 15,
  maxEarlyStopMinutes: 60,
  startCapacityFactor: 0.8,
  reachToleranceC: 0.3,
  coastGuardC: 0.3,
  bandMarginC: 0.5,
  preconditionMinSaving: 0.02,
  fanShare: 0.1,
  afterHoursMaxMinutes: 360,
};

/**
 * Cold-start rates before a space has history: a light, leaky shared space (time constant about
 * 3 h) whose HVAC moves it 4 K/h. Deliberately slow, so a first optimal start errs early.
 */
export const PRIOR_THERMAL_RATES: ThermalRates = {
  aPerH: 0.35,
  gainKPerH: 0.3,
  coolKPerH: -4,
  heatKPerH: 4,
};
