import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DateTime, IANAZone } from 'luxon';

/** How a day is used by residents: the weekly pattern follows this, not the weekday alone. */
export type DayType = 'workday' | 'restday';
export type HolidayRule = 'china' | 'none';

/** Local calendar fields of one instant in a site's time zone. */
export interface LocalTime {
  /** Monday = 0 .. Sunday = 6. */
  readonly weekday: number;
  /** Minutes since local midnight, fractional. */
  readonly minuteOfDay: number;
  /** 1..12. */
  readonly month: number;
  /** 1..31. */
  readonly dayOfMonth: number;
  /** 1..366. */
  readonly dayOfYear: number;
  /** 'YYYY-MM-DD' of the local date. */
  readonly date: string;
  readonly dayType: DayType;
}

const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };

/**
 * China's published public holidays and adjusted working days (调休): a holiday is a rest day, an
 * adjusted working day on a weekend is a workday. Years not yet published fall back to the weekday.
 */
export function dayTypeOf(date: string, weekday: number, rule: HolidayRule): DayType {
  if (rule === 'china') {
    if (date in data.holidays) return 'restday';
    if (date in data.workdays) return 'workday';
  }
  return weekday >= 5 ? 'restday' : 'workday';
}

/** Zone offsets, memoised per UTC quarter-hour: every real offset change happens on one. */
const offsetCache = new Map<string, { bucket: number; offsetMin: number }>();

function offsetMinutes(tMs: number, timeZone: string): number {
  const bucket = Math.floor(tMs / 900_000);
  const cached = offsetCache.get(timeZone);
  if (cached?.bucket === bucket) return cached.offsetMin;
  const offsetMin = IANAZone.create(timeZone).offset(tMs);
  offsetCache.set(timeZone, { bucket, offsetMin });
  return offsetMin;
}

export function localTime(tMs: number, timeZone: string, rule: HolidayRule): LocalTime {
  // Shift by the zone offset and read the UTC fields: much cheaper than a full zoned date per step.
  const shifted = tMs + offsetMinutes(tMs, timeZone) * 60_000;
  const d = new Date(shifted);
  const year = d.getUTCFullYear();
  const weekday = (d.getUTCDay() + 6) % 7;
  const date = d.toISOString().slice(0, 10);
  const msOfDay = ((shifted % 86_400_000) + 86_400_000) % 86_400_000;
  return {
    weekday,
    minuteOfDay: msOfDay / 60_000,
    month: d.getUTCMonth() + 1,
    dayOfMonth: d.getUTCDate(),
    dayOfYear: Math.floor((shifted - Date.UTC(year, 0, 1)) / 86_400_000) + 1,
    date,
    dayType: dayTypeOf(date, weekday, rule),
  };
}

/** Local wall-clock time without an offset, as Tasmota prints it: 2026-11-28T23:07:58. */
export function naiveLocalIso(tMs: number, timeZone: string): string {
  return DateTime.fromMillis(tMs, { zone: timeZone }).toFormat("yyyy-LL-dd'T'HH:mm:ss");
}

/** Holiday rule for a site: China's calendar for Chinese time zones unless configured otherwise. */
export function holidayRuleFor(timeZone: string, configured: 'auto' | HolidayRule): HolidayRule {
  if (configured !== 'auto') return configured;
  return ['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Urumqi', 'PRC'].includes(timeZone)
    ? 'china'
    : 'none';
}
