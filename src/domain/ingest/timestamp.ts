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
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  // As luxon reads a fraction: its first three decimals, truncated.
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const offsetMin = z ? 0 : (sign === '-' ? -1 : 1) * (offsetH * 60 + offsetM);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
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
