import { DateTime } from 'luxon';
import type { Granularity } from '../../ports/savings-view.js';

export interface ReportPeriod {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Most periods one query may ask for (a year of hours is 8,760): keeps every query short. */
export const MAX_PERIODS = 9000;

/**
 * [fromMs, toMs) cut into hours, local days or local months of a time zone, or left whole
 * (`total`). Days and months start at the site's local midnight (23- and 25-hour days included);
 * the first and last periods are clipped to the range, so sums over them add up to the range's sum.
 */
export function cutPeriods(
  fromMs: number,
  toMs: number,
  granularity: Granularity,
  timeZone: string,
): ReportPeriod[] {
  if (!(toMs > fromMs)) return [];
  // One period: sums add up either way, but an interval only holds over the hours it was computed on.
  if (granularity === 'total') return [{ fromMs, toMs }];
  const out: ReportPeriod[] = [];
  let start = DateTime.fromMillis(fromMs, { zone: timeZone }).startOf(granularity);
  while (start.toMillis() < toMs) {
    const next = start.plus({ [`${granularity}s`]: 1 }).startOf(granularity);
    out.push({ fromMs: Math.max(fromMs, start.toMillis()), toMs: Math.min(toMs, next.toMillis()) });
    if (out.length > MAX_PERIODS) {
      throw new RangeError(
        `the range holds more than ${MAX_PERIODS} ${granularity}s; ask for a coarser granularity`,
      );
    }
    start = next;
  }
  return out;
}
