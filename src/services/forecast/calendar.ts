import {
  chinaCalendar,
  type HolidayCalendar,
  NO_HOLIDAYS,
  operatorCalendar,
} from '../../domain/calendar/holidays.js';

/** Plain-data description of a site's holiday calendar, so a worker thread can rebuild it. */
export interface CalendarSpec {
  readonly kind: 'china' | 'operator';
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

/** Time zones that follow China's public holidays. */
const CHINA_ZONES = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Chungking',
  'Asia/Harbin',
  'Asia/Urumqi',
  'PRC',
]);

export function calendarSpec(
  setting: {
    readonly holidays: 'auto' | 'china' | 'none';
    readonly extraHolidays: readonly string[];
    readonly extraWorkdays: readonly string[];
  },
  timeZone: string,
): CalendarSpec {
  const china = setting.holidays === 'china' || (setting.holidays === 'auto' && CHINA_ZONES.has(timeZone));
  return {
    kind: china ? 'china' : 'operator',
    holidays: setting.extraHolidays,
    workdays: setting.extraWorkdays,
  };
}

export function buildCalendar(spec: CalendarSpec): HolidayCalendar {
  const dates = { holidays: spec.holidays, workdays: spec.workdays };
  if (spec.kind === 'china') return chinaCalendar(dates);
  return spec.holidays.length + spec.workdays.length > 0 ? operatorCalendar(dates) : NO_HOLIDAYS;
}
