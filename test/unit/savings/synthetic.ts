import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { HourlySeries } from '../../../src/domain/forecast/types.js';

const HOUR_MS = 3_600_000;

/** Standard normal draws from a seeded generator (Box-Muller). */
export function normals(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  const u = () => (unsafeUniformIntDistribution(1, 2 ** 30, rng) - 0.5) / 2 ** 30;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * A made-up office-like building in UTC: weekday daytime load, heating below 15 °C, hourly AR(1)
 * noise and a day-level wobble. `scale(i, tsMs)` multiplies the load, to plant savings or shifts.
 */
export function syntheticBuilding(opts: {
  readonly seed: number;
  readonly startMs: number;
  readonly hours: number;
  readonly scale?: (i: number, tsMs: number) => number;
}): HourlySeries {
  const z = normals(opts.seed);
  const tsMs: number[] = [];
  const kWh: (number | null)[] = [];
  const temperatureC: (number | null)[] = [];
  let ar = 0;
  let dayNoise = 0;
  for (let i = 0; i < opts.hours; i++) {
    const t = opts.startMs + i * HOUR_MS;
    const d = new Date(t);
    const hour = d.getUTCHours();
    const weekday = (d.getUTCDay() + 6) % 7;
    if (hour === 0) dayNoise = 0.03 * z();
    const dayOfYear = (t / 86_400_000) % 365.25;
    const temp =
      11 -
      8 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25) +
      3 * Math.sin((2 * Math.PI * (hour - 9)) / 24) +
      z();
    const open = weekday < 5 && hour >= 7 && hour < 19;
    const load = (open ? 100 : 40) * (1 + 0.03 * Math.max(0, 15 - temp));
    ar = 0.7 * ar + 0.04 * z();
    tsMs.push(t);
    temperatureC.push(temp);
    kWh.push(load * (1 + ar + dayNoise) * (opts.scale?.(i, t) ?? 1));
  }
  return { timeZone: 'UTC', tsMs, kWh, temperatureC };
}
