import { IANAZone } from 'luxon';
import { zoneOffsetMinutes } from './local-fields.js';

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

/** Month 0..11 of a local day number (proleptic Gregorian). */
export function monthOfDay(localDay: number): number {
  return new Date(localDay * DAY_MS).getUTCMonth();
}

/** 'YYYY-MM-DD' of a local day number. */
export function isoDate(localDay: number): string {
  return new Date(localDay * DAY_MS).toISOString().slice(0, 10);
}

/** Local day number of 'YYYY-MM-DD'; NaN when malformed. */
export function dayNumber(isoDay: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2024-13-01 over into 2025: reject dates that do not survive the round trip.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== isoDay) return Number.NaN;
  return Math.round(ms / DAY_MS);
}
