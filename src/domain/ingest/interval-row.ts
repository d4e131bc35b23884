import type { EndUse, IntervalMinutes } from '../energy.js';

/** Energy of one meter in one interval. `missing` intervals carry no energy figure. */
export interface IntervalRow {
  readonly meterId: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly endUse: EndUse;
  readonly minutes: IntervalMinutes;
  /** Interval start, ms since epoch (UTC). */
  readonly startMs: number;
  /** Energy apportioned to this interval so far, kWh. Null when the interval is marked missing. */
  readonly energyKWh: number | null;
  /** Share of the interval covered by readings, 0..1. */
  readonly coverage: number;
  readonly missing: boolean;
}
