import { quarterStartMs, SENSOR_QUARTER_MS } from './types.js';

/** What is known of a motion sensor's state, and up to when its time has been booked. */
export interface OccupancyTracker {
  readonly occupied: boolean;
  /** Time up to which the state has been booked into quarters, ms. */
  readonly bookedUntilMs: number;
  /** Last message from the sensor, ms: a state is carried at most `maxCarryMs` beyond it. */
  readonly lastMessageMs: number;
}

export interface QuarterTime {
  readonly startMs: number;
  readonly occupiedMs: number;
  readonly observedMs: number;
}

/**
 * Books the tracker's current state from `bookedUntilMs` up to `untilMs` into 15-minute quarters.
 * A state is only believed for `maxCarryMs` after the sensor's last message (beyond that the sensor
 * may be dead), so later time counts as unobserved. Returns the quarters touched, in time order.
 */
export function bookOccupancy(
  tracker: OccupancyTracker,
  untilMs: number,
  maxCarryMs: number,
): { readonly tracker: OccupancyTracker; readonly quarters: QuarterTime[] } {
  const from = tracker.bookedUntilMs;
  const to = Math.min(untilMs, tracker.lastMessageMs + maxCarryMs);
  const quarters: QuarterTime[] = [];
  for (let q = quarterStartMs(from); q < to; q += SENSOR_QUARTER_MS) {
    const overlap = Math.min(to, q + SENSOR_QUARTER_MS) - Math.max(from, q);
    if (overlap <= 0) continue;
    quarters.push({ startMs: q, occupiedMs: tracker.occupied ? overlap : 0, observedMs: overlap });
  }
  return { tracker: { ...tracker, bookedUntilMs: Math.max(from, untilMs) }, quarters };
}
