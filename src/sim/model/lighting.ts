import { DAYLIGHT_EFFICACY_LM_PER_W } from './solar.js';

/**
 * Electrical power of an LED lighting group at a dimming level. Drivers keep drawing about 10 % of
 * rated power at the lowest level, so power is rated x (0.1 + 0.9 x level) while on and zero only
 * when switched off.
 */
export function lightingPowerW(ratedPowerW: number, levelPct: number): number {
  if (levelPct <= 0) return 0;
  const level = Math.min(100, levelPct) / 100;
  return ratedPowerW * (0.1 + 0.9 * level);
}

/** Indoor illuminance, lx: electric light in proportion to level, plus daylight through the daylight factor. */
export function indoorIlluminanceLux(
  designLux: number,
  meanLevelPct: number,
  daylightFactor: number,
  ghiWm2: number,
): number {
  const electric = designLux * (Math.max(0, Math.min(100, meanLevelPct)) / 100);
  return electric + daylightFactor * ghiWm2 * DAYLIGHT_EFFICACY_LM_PER_W;
}
