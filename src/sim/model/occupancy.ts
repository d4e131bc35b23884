import type { DayType } from './calendar.js';
import type { DayPattern, SpaceTypeParams } from './profiles.js';
import type { Rng } from './rng.js';

export interface OccupancyState {
  /** People in the space now. */
  readonly count: number;
  /** Last instant someone was seen (present, or passing through within a step), ms. */
  readonly lastSeenMs: number;
}

/** Smooth opening-hours window: 0 outside, 1 inside, quarter-hour ramps at the edges. */
function openWeight(hour: number, from: number, to: number): number {
  const ramp = 0.25;
  const rise = 1 / (1 + Math.exp(-(hour - from) / (ramp / 4)));
  const fall = 1 / (1 + Math.exp((hour - to) / (ramp / 4)));
  return rise * fall;
}

/** Arrivals per hour for a pattern at a local hour (0..24), before area scaling. */
export function patternRatePerHour(pattern: DayPattern, hour: number): number {
  const open = openWeight(hour, pattern.openFrom, pattern.openTo);
  let bumps = 0;
  for (const b of pattern.bumps) {
    const z = (hour - b.atHour) / b.sdHours;
    bumps += b.perHour * Math.exp(-0.5 * z * z);
  }
  return pattern.nightPerHour * (1 - open) + (pattern.basePerHour + bumps) * open;
}

/** Expected arrivals per hour in a space at a local hour on a day type. */
export function arrivalRatePerHour(
  params: SpaceTypeParams,
  areaM2: number,
  dayType: DayType,
  hour: number,
  scale = 1,
): number {
  const pattern = dayType === 'workday' ? params.workday : params.restday;
  return patternRatePerHour(pattern, hour) * (areaM2 / params.referenceAreaM2) * scale;
}

/**
 * One step of an M/M/infinity crowd: Poisson arrivals at the current rate, each person leaving
 * with the probability that an exponential stay of the type's mean dwell ends within the step.
 * Someone arriving and leaving inside one step still counts as seen (a motion sensor would fire).
 */
export function stepOccupancy(
  state: OccupancyState,
  ratePerHour: number,
  dwellMinutes: number,
  tEndMs: number,
  dtS: number,
  rng: Rng,
): OccupancyState {
  const arrivals = rng.poisson((ratePerHour * dtS) / 3600);
  const leaveP = 1 - Math.exp(-dtS / (dwellMinutes * 60));
  const stayers = state.count - rng.binomial(state.count, leaveP);
  // An arrival comes on average half-way through the step, so leaves within it about half as often.
  const count = stayers + arrivals - rng.binomial(arrivals, leaveP / 2);
  const seen = count > 0 || arrivals > 0 || state.count > 0;
  return { count, lastSeenMs: seen ? tEndMs : state.lastSeenMs };
}

/** A PIR sensor reports occupied while someone is there and for a hold time after the last motion. */
export function motionOccupied(state: OccupancyState, tMs: number, holdSeconds: number): boolean {
  return state.count > 0 || tMs - state.lastSeenMs < holdSeconds * 1000;
}
