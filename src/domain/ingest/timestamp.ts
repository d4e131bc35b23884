import { DateTime } from 'luxon';

/**
 * Epoch values below this are seconds, at or above it milliseconds. 1e11 s is the year 5138 and
 * 1e11 ms is March 1973, so no real reading is ambiguous.
 */
export const EPOCH_SECONDS_BELOW = 1e11;

/** Epoch seconds or milliseconds, recognised by magnitude, to milliseconds. */
export function epochToMs(value: number): number {
  return Math.abs(value) < EPOCH_SECONDS_BELOW ? value * 1000 : value;
}

/**
 * An ISO-8601 text to epoch ms. Text with an offset (or Z) keeps it; text without one is local time
 * in `timezone` (Tasmota's `Time`, for one, carries no offset). Undefined when not a valid ISO text.
 */
export function isoToMs(text: string, timezone: string): number | undefined {
  const canonical = canonicalUtcToMs(text);
  if (canonical !== undefined) return canonical;
  const trimmed = text.trim();
  const fast = isoWithOffsetToMs(trimmed);
  if (fast !== undefined) return fast;
  const dt = DateTime.fromISO(trimmed, { zone: timezone, setZone: false });
  return dt.isValid ? dt.toMillis() : undefined;
}

/** Date and time with seconds, fraction and an offset or Z, as meters send them (no zone needed). */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * The common case of isoToMs without luxon, which took half of ingest's time per message: the text
 * carries its offset, so no zone is looked up. Undefined for anything else (no offset, week or
 * ordinal dates, out-of-range fields), which luxon then reads or refuses as before.
 */
function isoWithOffsetToMs(text: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const offsetH = oh === undefined ? 0 : Number(oh);
  const offsetM = om === undefined ? 0 : Number(om);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  if (offsetH > 23 || offsetM > 59) return undefined;
  // Day past the month's end (31 April, 29 February of a common year): Date.UTC would roll it over.
  if (day > daysInMonth(year, month)) return undefined;
  // As luxon reads a fraction: its first three decimals, truncated.
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const offsetMin = z ? 0 : (sign === '-' ? -1 : 1) * (offsetH * 60 + offsetM);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, the form JavaScript's toISOString writes and most gateways send, read
 * from its character codes: no regular expression, no allocation. Undefined for any other form or
 * an out-of-range field, which isoWithOffsetToMs then reads or refuses.
 */
function canonicalUtcToMs(text: string): number | undefined {
  if (text.length !== 24) return undefined;
  if (text.charCodeAt(23) !== Z || text.charCodeAt(10) !== T || text.charCodeAt(19) !== DOT) return undefined;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  if (text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  // digits() gives -1 for a non-digit, which every lower bound below refuses.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const Z = 0x5a;
const T = 0x54;
const DOT = 0x2e;
const DASH = 0x2d;
const COLON = 0x3a;
const ZERO = 0x30;

/** The decimal number in `count` characters from `from`, or -1 if one of them is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Days in a month (1-12) of the proleptic Gregorian calendar, as Date.UTC counts them. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A JSON timestamp field (ISO text or epoch number) to epoch ms; undefined when unreadable. */
export function timestampToMs(value: string | number, timezone: string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : undefined;
  const trimmed = value.trim();
  // Some devices send epoch numbers as text.
  if (/^\d+(\.\d+)?$/.test(trimmed)) return epochToMs(Number(trimmed));
  return isoToMs(trimmed, timezone);
}

/** For messages: ISO-8601 when the value is a representable time, else the number itself. */
export function isoOrRaw(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
