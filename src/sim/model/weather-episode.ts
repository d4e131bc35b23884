/**
 * A spell of unusual weather laid over the climate, such as a heat wave or a cold snap: an offset of
 * the air temperature that ramps in, holds, and ramps out, on top of the seeded day-to-day weather.
 */
export interface WeatherEpisode {
  /** Middle of the spell, ms. */
  readonly peakMs: number;
  /** Days at the full offset, centred on `peakMs`. */
  readonly plateauDays: number;
  /** Days of the ramp on each side of the plateau. */
  readonly rampDays: number;
  /** Offset of the air temperature at full strength, K (positive: a heat wave; negative: a cold snap). */
  readonly offsetC: number;
}

const DAY_MS = 86_400_000;

/** The episode's temperature offset at an instant, K: 0 outside it, a cosine ramp on its flanks. */
export function episodeOffsetC(episode: WeatherEpisode | undefined, tMs: number): number {
  if (!episode) return 0;
  const fromPlateauDays = Math.abs(tMs - episode.peakMs) / DAY_MS - episode.plateauDays / 2;
  if (fromPlateauDays <= 0) return episode.offsetC;
  if (episode.rampDays <= 0 || fromPlateauDays >= episode.rampDays) return 0;
  return episode.offsetC * (0.5 + 0.5 * Math.cos((Math.PI * fromPlateauDays) / episode.rampDays));
}
