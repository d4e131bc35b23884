/**
 * Sun position and clear-sky irradiance. Declination and equation of time after Spencer (1971);
 * clear-sky global horizontal irradiance after Haurwitz (1945), GHI = 1098 sin(h) exp(-0.057 / sin(h)).
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

/**
 * How much of a daylight reading taken at `readingMs` is still there at `nowMs`, 0..1: the clear-sky
 * irradiance then and now. At dusk daylight falls by a few points of a room's needs a minute, faster
 * than illuminance sensors report; a rising sun is not counted on (1 at most).
 */
export function daylightLeftShare(
  readingMs: number,
  nowMs: number,
  latitudeDeg: number,
  longitudeDeg: number,
): number {
  const then = clearSkyGhiWm2(sinSolarElevation(readingMs, latitudeDeg, longitudeDeg));
  if (then <= 0) return 0;
  const now = clearSkyGhiWm2(sinSolarElevation(nowMs, latitudeDeg, longitudeDeg));
  return Math.min(1, now / then);
}
