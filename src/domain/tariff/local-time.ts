import { DateTime } from 'luxon';

export interface LocalHour {
  /** 1..12 */
  readonly month: number;
  /** 0..23 */
  readonly hour: number;
}

/** Local month and hour of an instant in an IANA zone (tariff periods follow the wall clock). */
export function localHour(tsMs: number, timeZone: string): LocalHour {
  const dt = DateTime.fromMillis(tsMs, { zone: timeZone });
  if (!dt.isValid) throw new RangeError(`invalid time zone "${timeZone}" or instant ${tsMs}`);
  return { month: dt.month, hour: dt.hour };
}
