import type { Rng } from './rng.js';
import { clearSkyGhiWm2, cloudFactor, sinSolarElevation } from './solar.js';
import { episodeOffsetC, type WeatherEpisode } from './weather-episode.js';

export interface ClimateParams {
  /** Monthly mean air temperature, °C, January first (at the middle of each month). */
  readonly monthlyMeanC: readonly number[];
  /** Mean daily maximum minus minimum, K. */
  readonly diurnalRangeC: number;
  /** Standard deviation of the slow day-to-day anomaly, K. */
  readonly anomalyStdC: number;
  /** Correlation time of that anomaly, hours. */
  readonly anomalyHours: number;
  /** Monthly mean cloud cover, 0..1, January first. */
  readonly monthlyCloudCover: readonly number[];
  readonly latitudeDeg: number;
  readonly longitudeDeg: number;
  /** A heat wave or cold snap laid over the seeded weather (the savings bench's extreme scenarios). */
  readonly episode?: WeatherEpisode;
}

/**
 * Shanghai (Xujiahui) 1991-2020 normals, rounded: monthly mean temperature and a cloud cover that
 * reproduces its sunshine percentage (about 35 % in June's plum rains, about 50 % in high summer).
 */
export const SHANGHAI_CLIMATE: ClimateParams = {
  monthlyMeanC: [4.8, 6.6, 10.3, 15.6, 20.9, 24.6, 28.9, 28.6, 25.0, 19.9, 14.1, 7.6],
  diurnalRangeC: 7.5,
  anomalyStdC: 2.5,
  anomalyHours: 72,
  monthlyCloudCover: [0.62, 0.66, 0.66, 0.6, 0.6, 0.72, 0.55, 0.52, 0.58, 0.55, 0.58, 0.58],
  latitudeDeg: 31.2,
  longitudeDeg: 121.5,
};

export interface WeatherState {
  /** Slow weather anomaly of the air temperature, K. */
  readonly anomalyC: number;
  /** Cloud-cover deviation in logit space. */
  readonly cloudLogit: number;
}

export interface WeatherNow {
  readonly outdoorC: number;
  /** Global horizontal irradiance, W/m². */
  readonly ghiWm2: number;
  readonly cloudCover: number;
  /**
   * Temperature of the building around inner spaces (flats, shafts): follows the season, kept
   * between 18 °C and 27 °C by the residents' own heating and cooling.
   */
  readonly interiorC: number;
}

const CLOUD_HOURS = 18;

/** Monthly table value at a day of the year, interpolated between mid-months (cyclic). */
export function seasonal(table: readonly number[], dayOfYear: number, southern: boolean): number {
  const shifted = southern ? dayOfYear + 182.6 : dayOfYear;
  const monthPos = ((((shifted - 15.2) / 30.44) % 12) + 12) % 12;
  const i = Math.floor(monthPos);
  const f = monthPos - i;
  const a = table[i % 12] ?? 0;
  const b = table[(i + 1) % 12] ?? 0;
  return a + (b - a) * (0.5 - 0.5 * Math.cos(Math.PI * f));
}

/**
 * Diurnal shape in [-1, 1]: minimum near sunrise (05:30 local), maximum mid-afternoon (14:30),
 * a faster morning rise than evening fall.
 */
export function diurnalShape(localHour: number): number {
  const tMin = 5.5;
  const tMax = 14.5;
  if (localHour >= tMin && localHour < tMax) return -Math.cos((Math.PI * (localHour - tMin)) / (tMax - tMin));
  const h = localHour < tMin ? localHour + 24 : localHour;
  return Math.cos((Math.PI * (h - tMax)) / (24 - (tMax - tMin)));
}

/** Advances the slow weather processes by `dtS` seconds (Ornstein-Uhlenbeck, exact discretization). */
export function stepWeather(
  state: WeatherState,
  climate: ClimateParams,
  dtS: number,
  rng: Rng,
): WeatherState {
  const phiT = Math.exp(-dtS / (climate.anomalyHours * 3600));
  const phiC = Math.exp(-dtS / (CLOUD_HOURS * 3600));
  return {
    anomalyC: state.anomalyC * phiT + climate.anomalyStdC * Math.sqrt(1 - phiT * phiT) * rng.normal(),
    cloudLogit: state.cloudLogit * phiC + 1.5 * Math.sqrt(1 - phiC * phiC) * rng.normal(),
  };
}

/** Weather at an instant, from the slow state, the season and the time of day. */
export function weatherAt(
  state: WeatherState,
  climate: ClimateParams,
  tMs: number,
  dayOfYear: number,
  localHour: number,
): WeatherNow {
  const southern = climate.latitudeDeg < 0;
  const meanCloud = Math.min(0.95, Math.max(0.05, seasonal(climate.monthlyCloudCover, dayOfYear, southern)));
  const logit = Math.log(meanCloud / (1 - meanCloud)) + state.cloudLogit;
  const cloudCover = 1 / (1 + Math.exp(-logit));
  const sinH = sinSolarElevation(tMs, climate.latitudeDeg, climate.longitudeDeg);
  const ghiWm2 = clearSkyGhiWm2(sinH) * cloudFactor(cloudCover);
  // Clear days swing wider than overcast ones.
  const range = climate.diurnalRangeC * (1.35 - 0.7 * cloudCover);
  const mean = seasonal(climate.monthlyMeanC, dayOfYear, southern);
  const interiorC = Math.min(27, Math.max(18, mean));
  return {
    outdoorC:
      mean + state.anomalyC + (range / 2) * diurnalShape(localHour) + episodeOffsetC(climate.episode, tMs),
    ghiWm2,
    cloudCover,
    interiorC,
  };
}

/** Yearly mean air temperature: the ground temperature that underground spaces lean towards. */
export function groundTemperatureC(climate: ClimateParams): number {
  return climate.monthlyMeanC.reduce((a, b) => a + b, 0) / Math.max(1, climate.monthlyMeanC.length);
}
