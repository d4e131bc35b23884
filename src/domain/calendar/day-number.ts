/**
 * Local day numbers: days since 1970-01-01 of a calendar date, whatever the zone. The arithmetic of
 * dates alone, shared by the zone-aware calendars beside it.
 */
const DAY_MS = 86_400_000;

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
