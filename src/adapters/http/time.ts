import { DateTime } from 'luxon';

/** ISO 8601 with the offset of `zone` at that instant, e.g. `2026-06-01T08:00:00+08:00`. */
export function isoIn(ms: number, zone: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  return (
    (dt.isValid ? dt : DateTime.fromMillis(ms, { zone: 'utc' })).toISO({ suppressMilliseconds: true }) ?? ''
  );
}

export function isoOrNull(ms: number | null | undefined, zone: string): string | null {
  return ms === null || ms === undefined ? null : isoIn(ms, zone);
}

/**
 * A query time: an ISO date-time with offset (or Z), or a date `YYYY-MM-DD` meaning local midnight
 * in `zone`. Undefined when it is neither.
 */
export function parseQueryTime(text: string, zone: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const dt = DateTime.fromISO(text, { zone });
    return dt.isValid ? dt.toMillis() : undefined;
  }
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const dt = DateTime.fromISO(text, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}
