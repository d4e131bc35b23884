import { DateTime } from 'luxon';

/** A reporting month: `YYYY-MM`, and the local day of the month its meters are read (1..28). */
export interface ReportMonth {
  readonly year: number;
  readonly month: number;
}

export interface MonthPeriod {
  /** [fromMs, toMs) in UTC ms, cut at the site's local midnight. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Local dates, inclusive first and exclusive last day, e.g. `2026-06-20` .. `2026-07-20`. */
  readonly fromDate: string;
  readonly toDate: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Parses `YYYY-MM`; undefined when the text is not a month. */
export function parseReportMonth(text: string): ReportMonth | undefined {
  const m = MONTH.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function formatReportMonth(m: ReportMonth): string {
  return `${String(m.year).padStart(4, '0')}-${String(m.month).padStart(2, '0')}`;
}

/**
 * The period a month covers when the meters are read on `readingDay`: from that day of the month to
 * the same day of the next month, local midnight to local midnight. With the default day 1 it is the
 * calendar month. Days stop at 28 so every month has its reading day.
 */
export function monthPeriod(m: ReportMonth, readingDay: number, timeZone: string): MonthPeriod {
  if (!Number.isInteger(readingDay) || readingDay < 1 || readingDay > 28)
    throw new RangeError(`readingDay must be an integer 1..28, got ${readingDay}`);
  const from = DateTime.fromObject({ year: m.year, month: m.month, day: readingDay }, { zone: timeZone });
  if (!from.isValid) throw new RangeError(`invalid time zone or month: ${timeZone} ${formatReportMonth(m)}`);
  const to = from.plus({ months: 1 });
  return {
    fromMs: from.toMillis(),
    toMs: to.toMillis(),
    fromDate: from.toISODate() ?? '',
    toDate: to.toISODate() ?? '',
  };
}

/** The month whose period holds `atMs` (e.g. "this month" on a dashboard). */
export function monthAt(atMs: number, readingDay: number, timeZone: string): ReportMonth {
  const local = DateTime.fromMillis(atMs, { zone: timeZone });
  const shifted = local.day < readingDay ? local.minus({ months: 1 }) : local;
  return { year: shifted.year, month: shifted.month };
}
