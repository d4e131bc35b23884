import type { SensorKind } from './types.js';

/** Physically plausible values per kind; anything outside is a faulty sensor or a unit mix-up. */
export const SENSOR_RANGES: Readonly<Record<SensorKind, { readonly min: number; readonly max: number }>> = {
  // People counters report counts; motion sensors 0/1.
  occupancy: { min: 0, max: 10_000 },
  'indoor-temperature': { min: -50, max: 70 },
  'outdoor-temperature': { min: -50, max: 70 },
  // Direct summer sunlight is about 120 000 lx.
  illuminance: { min: 0, max: 200_000 },
};

export const SENSOR_UNITS: Readonly<Record<SensorKind, string>> = {
  occupancy: '',
  'indoor-temperature': '°C',
  'outdoor-temperature': '°C',
  illuminance: 'lx',
};
