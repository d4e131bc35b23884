/**
 * Sun position and clear-sky irradiance: enough to drive daylight, solar gains and the diurnal
 * temperature shape. Declination and equation of time after Spencer (1971); clear-sky global
 * horizontal irradiance after Haurwitz (1945), GHI = 1098 sin(h) exp(-0.057 / sin(h)).
 */
const DEG = Math.PI / 180;

/** Sine of the solar elevation angle at a UTC instant (negative at night). */
export function sinSolarElevation(tMs: number, latitudeDeg: number, longitudeDeg: number): number {
  const dayMs = 86_400_000;
  const yearStartMs = Date.UTC(new Date(tMs).getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((tMs - yearStartMs) / dayMs) + 1;
  const utcHours = (((tMs % dayMs) + dayMs) % dayMs) / 3_600_000;
  const g = ((2 * Math.PI) / 365) * (dayOfYear - 1 + (utcHours - 12) / 24);
  const declination =
    0.006918 -
    0.399912 * Math.cos(g) +
    0.070257 * Math.sin(g) -
    0.006758 * Math.cos(2 * g) +
    0.000907 * Math.sin(2 * g) -
    0.002697 * Math.cos(3 * g) +
    0.00148 * Math.sin(3 * g);
  const eotMin =
    229.18 *
    (0.000075 +
      0.001868 * Math.cos(g) -
      0.032077 * Math.sin(g) -
      0.014615 * Math.cos(2 * g) -
      0.040849 * Math.sin(2 * g));
  const solarHours = utcHours + longitudeDeg / 15 + eotMin / 60;
  const hourAngle = (solarHours - 12) * 15 * DEG;
  const lat = latitudeDeg * DEG;
  return Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
}

/** Clear-sky global horizontal irradiance, W/m² (Haurwitz). */
export function clearSkyGhiWm2(sinElevation: number): number {
  if (sinElevation <= 0.01) return 0;
  return 1098 * sinElevation * Math.exp(-0.057 / sinElevation);
}

/** Cloud attenuation after Kasten and Czeplak (1980): GHI = clear x (1 - 0.75 c^3.4), c = cloud cover 0..1. */
export function cloudFactor(cloudCover: number): number {
  return 1 - 0.75 * Math.max(0, Math.min(1, cloudCover)) ** 3.4;
}

/** Outdoor horizontal illuminance from irradiance, lx: daylight carries about 110 lm per W. */
export const DAYLIGHT_EFFICACY_LM_PER_W = 110;
