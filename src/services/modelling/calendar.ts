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

/** Each site's holiday calendar, built once from the forecast settings and the site's time zone. */
export class SiteCalendars {
  private readonly bySite = new Map<string, { spec: CalendarSpec; calendar: HolidayCalendar }>();

  constructor(
    setting: Parameters<typeof calendarSpec>[0],
    sites: readonly { readonly id: string; readonly timezone: string }[],
  ) {
    for (const site of sites) {
      const spec = calendarSpec(setting, site.timezone);
      this.bySite.set(site.id, { spec, calendar: buildCalendar(spec) });
    }
  }

  of(siteId: string): { spec: CalendarSpec; calendar: HolidayCalendar } {
    const c = this.bySite.get(siteId);
    if (!c) throw new Error(`no calendar for site ${siteId}`);
    return c;
  }
}
