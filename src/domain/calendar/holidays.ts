import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { dayNumber, isoDate } from './local-time.js';

/**
 * Day types that change a building's weekly pattern.
 * - 'holiday': a public or operator-declared day off; models treat it like a Sunday.
 * - 'workday': an adjusted working day (调休) that falls on a weekend; models treat it like a Wednesday.
 * - 'normal': the weekday's own pattern.
 */
export type DayKind = 'holiday' | 'workday' | 'normal';

export interface HolidayCalendar {
  /** Kind of a local day (day number since 1970-01-01 of the local date). */
  kindOf(localDay: number): DayKind;
  /** Last local day the published data covers (operator dates do not extend it); null = no limit. */
  readonly coveredUntilDay: number | null;
  /** Short description for model files and warnings. */
  readonly id: string;
}

export interface OperatorDates {
  /** Extra days off, 'YYYY-MM-DD'. */
  readonly holidays?: readonly string[];
  /** Extra working days on weekends, 'YYYY-MM-DD'. */
  readonly workdays?: readonly string[];
}

/** A calendar with no holidays: every day keeps its weekday pattern. */
export const NO_HOLIDAYS: HolidayCalendar = { kindOf: () => 'normal', coveredUntilDay: null, id: 'none' };

function toDayMap(dates: readonly string[], kind: DayKind, into: Map<number, DayKind>, field: string): void {
  for (const d of dates) {
    const n = dayNumber(d);
    if (Number.isNaN(n)) throw new Error(`${field}: not a YYYY-MM-DD date: ${JSON.stringify(d)}`);
    into.set(n, kind);
  }
}

/** Operator-declared dates only (e.g. a site outside China, or local closures). */
export function operatorCalendar(dates: OperatorDates, id = 'operator'): HolidayCalendar {
  const map = new Map<number, DayKind>();
  toDayMap(dates.holidays ?? [], 'holiday', map, 'holidays');
  toDayMap(dates.workdays ?? [], 'workday', map, 'workdays');
  return { kindOf: (day) => map.get(day) ?? 'normal', coveredUntilDay: null, id };
}

/**
 * China's published public holidays and adjusted working days (调休) from the `chinese-days`
 * package, plus operator dates (which win). The years are announced each autumn and cannot be
 * computed, so coverage ends with the last published year.
 */
export function chinaCalendar(extra: OperatorDates = {}): HolidayCalendar {
  const map = new Map<number, DayKind>();
  const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
  toDayMap(Object.keys(data.holidays), 'holiday', map, 'chinese-days holidays');
  toDayMap(Object.keys(data.workdays), 'workday', map, 'chinese-days workdays');
  let lastYear = 0;
  for (const d of [...Object.keys(data.holidays), ...Object.keys(data.workdays)]) {
    lastYear = Math.max(lastYear, Number(d.slice(0, 4)));
  }
  toDayMap(extra.holidays ?? [], 'holiday', map, 'holidays');
  toDayMap(extra.workdays ?? [], 'workday', map, 'workdays');
  return {
    kindOf: (day) => map.get(day) ?? 'normal',
    coveredUntilDay: dayNumber(`${lastYear}-12-31`),
    id: `cn-${lastYear}`,
  };
}

/** A warning when a forecast horizon ends after the calendar's published coverage, else null. */
export function coverageWarning(calendar: HolidayCalendar, horizonEndLocalDay: number): string | null {
  if (calendar.coveredUntilDay === null || horizonEndLocalDay <= calendar.coveredUntilDay) return null;
  return (
    `holiday calendar ${calendar.id} covers days up to ${isoDate(calendar.coveredUntilDay)}; ` +
    `forecast runs to ${isoDate(horizonEndLocalDay)}: holidays after that are unknown, add them as operator dates`
  );
}

/** Weekday (Monday = 0) whose pattern a day follows, after holidays and adjusted working days. */
export function effectiveWeekday(weekday: number, kind: DayKind): number {
  if (kind === 'holiday') return 6;
  if (kind === 'workday') return 2;
  return weekday;
}

export interface CalendarSpec {
  /** 'china' = published Chinese holidays and 调休; 'none' = operator dates only; 'auto' = china for Chinese zones. */
  readonly kind: 'auto' | 'china' | 'none';
  /** Building time zone, used by 'auto'. */
  readonly timeZone: string;
  readonly holidays?: readonly string[];
  readonly workdays?: readonly string[];
}

const CHINESE_ZONES = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Harbin',
  'Asia/Urumqi',
  'PRC',
  'Asia/Chungking',
]);

/** The holiday calendar a site's configuration describes (for the config section of a site). */
export function siteCalendar(spec: CalendarSpec): HolidayCalendar {
  const useChina = spec.kind === 'china' || (spec.kind === 'auto' && CHINESE_ZONES.has(spec.timeZone));
  const extra: OperatorDates = {
    ...(spec.holidays ? { holidays: spec.holidays } : {}),
    ...(spec.workdays ? { workdays: spec.workdays } : {}),
  };
  if (useChina) return chinaCalendar(extra);
  return extra.holidays || extra.workdays ? operatorCalendar(extra) : NO_HOLIDAYS;
}
