const DAY_MS = 86_400_000;

/**
 * How old a reading may be and still be accepted: the configured cap (default 7 days), never more than
 * the raw retention, since an older reading would be pruned as soon as it was stored.
 */
export function maxReadingAgeMs(capMs: number | undefined, rawRetentionDays: number | undefined): number {
  const cap = capMs ?? 7 * DAY_MS;
  return rawRetentionDays === undefined ? cap : Math.min(cap, rawRetentionDays * DAY_MS);
}
