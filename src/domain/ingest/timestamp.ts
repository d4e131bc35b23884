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
  const dt = DateTime.fromISO(text.trim(), { zone: timezone, setZone: false });
  return dt.isValid ? dt.toMillis() : undefined;
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
