import { IANAZone } from 'luxon';
import { monthOfDay } from './day-number.js';
import { zoneOffsetMinutes } from './local-fields.js';

export { dayNumber, isoDate, monthOfDay } from './day-number.js';

/**
 * Local calendar fields of UTC hours in a building's time zone, computed in bulk.
 * Offsets change only at DST transitions, so one zone lookup per UTC day suffices except on
 * transition days; this keeps a year of hours to ~730 zone lookups.
 */
export interface LocalHours {
  /** Local day number: days since 1970-01-01 of the local calendar date. */
  readonly localDay: Int32Array;
  /** Local hour of day 0..23. */
  readonly hourOfDay: Uint8Array;
  /** Local weekday, Monday = 0 .. Sunday = 6. */
  readonly weekday: Uint8Array;
  /** Local month 0..11. */
  readonly month: Uint8Array;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Zones already checked: the check builds an Intl formatter, and forecasts ask hourly per series. */
const validZones = new Set<string>();

export function isValidTimeZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  const valid = IANAZone.isValidZone(zone);
  if (valid) validZones.add(zone);
  return valid;
}

export function localHours(tsMs: readonly number[] | Float64Array, timeZone: string): LocalHours {
  if (!isValidTimeZone(timeZone)) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
  const zone = IANAZone.create(timeZone);
  const n = tsMs.length;
  const localDay = new Int32Array(n);
  const hourOfDay = new Uint8Array(n);
  const weekday = new Uint8Array(n);
  const month = new Uint8Array(n);
  let cachedDay = Number.NaN;
  let dayOffsetMin = 0;
  let dayIsUniform = true;
  for (let i = 0; i < n; i++) {
    const t = tsMs[i] ?? 0;
    const utcDay = Math.floor(t / DAY_MS);
    if (utcDay !== cachedDay) {
      cachedDay = utcDay;
      const a = zoneOffsetMinutes(utcDay * DAY_MS, timeZone);
      const b = zoneOffsetMinutes((utcDay + 1) * DAY_MS, timeZone);
      dayOffsetMin = a;
      dayIsUniform = a === b;
    }
    const offMin = dayIsUniform ? dayOffsetMin : zone.offset(t);
    const localMs = t + offMin * 60_000;
    const ld = Math.floor(localMs / DAY_MS);
    localDay[i] = ld;
    hourOfDay[i] = Math.floor((localMs - ld * DAY_MS) / HOUR_MS);
    // 1970-01-01 was a Thursday (Monday = 0 -> Thursday = 3).
    weekday[i] = (((ld + 3) % 7) + 7) % 7;
    month[i] = monthOfDay(ld);
  }
  return { localDay, hourOfDay, weekday, month };
}
