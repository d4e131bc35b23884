/** Sun position and clear-sky irradiance: the domain's (see src/domain/daylight/sun.ts). */
export { clearSkyGhiWm2, sinSolarElevation } from '../../domain/daylight/sun.js';

/** Cloud attenuation after Kasten and Czeplak (1980): GHI = clear x (1 - 0.75 c^3.4), c = cloud cover 0..1. */
export function cloudFactor(cloudCover: number): number {
  return 1 - 0.75 * Math.max(0, Math.min(1, cloudCover)) ** 3.4;
}

/** Outdoor horizontal illuminance from irradiance, lx: daylight carries about 110 lm per W. */
export const DAYLIGHT_EFFICACY_LM_PER_W = 110;
