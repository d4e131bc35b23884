import { describe, expect, it } from 'vitest';
import {
  chinaCalendar,
  coverageWarning,
  effectiveWeekday,
  NO_HOLIDAYS,
  operatorCalendar,
  siteCalendar,
} from '../../../src/domain/calendar/holidays.js';
import { dayNumber, isoDate, localHours } from '../../../src/domain/calendar/local-time.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';

describe('local time', () => {
  it('converts day numbers both ways', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(isoDate(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(dayNumber('2024-13-01')).toBeNaN();
  });

  it('gives local hour, weekday and month across a DST change (London, 2019-03-31)', () => {
    const start = Date.UTC(2019, 2, 30, 22); // Sat 22:00 GMT
    const ts = Array.from({ length: 6 }, (_, i) => start + i * 3_600_000);
    const l = localHours(ts, 'Europe/London');
    // 22, 23 (GMT), 00 (GMT), then 01:00 UTC is 02:00 BST.
    expect(Array.from(l.hourOfDay)).toEqual([22, 23, 0, 2, 3, 4]);
    expect(Array.from(l.weekday)).toEqual([5, 5, 6, 6, 6, 6]);
    expect(Array.from(l.month)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('rejects an unknown zone', () => {
    expect(() => localHours([0], 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
});

describe('holiday calendars', () => {
  const cn = chinaCalendar();

  it("knows China's published holidays and adjusted working days (调休)", () => {
    expect(cn.kindOf(dayNumber('2024-10-01'))).toBe('holiday');
    expect(cn.kindOf(dayNumber('2024-09-29'))).toBe('workday'); // a Sunday worked for National Day
    expect(cn.kindOf(dayNumber('2024-10-09'))).toBe('normal');
    expect(cn.kindOf(dayNumber('2025-01-28'))).toBe('holiday'); // Spring Festival eve
  });

  it('lets operators add dates, which win', () => {
    const c = chinaCalendar({ holidays: ['2024-10-09'], workdays: ['2024-10-01'] });
    expect(c.kindOf(dayNumber('2024-10-09'))).toBe('holiday');
    expect(c.kindOf(dayNumber('2024-10-01'))).toBe('workday');
    expect(() => operatorCalendar({ holidays: ['10/09/2024'] })).toThrow(/holidays: not a YYYY-MM-DD date/);
  });

  it('warns when the horizon runs past the published years', () => {
    const last = cn.coveredUntilDay;
    if (last === null) throw new Error('China calendar must have a coverage end');
    expect(coverageWarning(cn, last)).toBeNull();
    expect(coverageWarning(cn, last + 1)).toMatch(/covers days up to \d{4}-12-31/);
    expect(coverageWarning(NO_HOLIDAYS, 1e6)).toBeNull();
  });

  it('holidays behave like Sundays and adjusted working days like weekdays in the models', () => {
    expect(effectiveWeekday(1, 'holiday')).toBe(6);
    expect(effectiveWeekday(6, 'workday')).toBe(2);
    expect(effectiveWeekday(4, 'normal')).toBe(4);
    // 2024-10-01 (Tuesday) 10:00 Shanghai: hour-of-week of a Sunday 10:00.
    const ts = [Date.UTC(2024, 9, 1, 2)];
    const data = prepareSeries({ timeZone: 'Asia/Shanghai', tsMs: ts, kWh: [1] }, cn);
    expect(data.how[0]).toBe(6 * 24 + 10);
    const plain = prepareSeries({ timeZone: 'Asia/Shanghai', tsMs: ts, kWh: [1] });
    expect(plain.how[0]).toBe(1 * 24 + 10);
  });
});

describe('site calendar from configuration', () => {
  it("'auto' picks China's calendar for Chinese zones only, with operator dates", () => {
    const sh = siteCalendar({ kind: 'auto', timeZone: 'Asia/Shanghai', holidays: ['2024-06-03'] });
    expect(sh.kindOf(dayNumber('2024-10-01'))).toBe('holiday');
    expect(sh.kindOf(dayNumber('2024-06-03'))).toBe('holiday');
    const ldn = siteCalendar({ kind: 'auto', timeZone: 'Europe/London' });
    expect(ldn.kindOf(dayNumber('2024-10-01'))).toBe('normal');
    expect(
      siteCalendar({ kind: 'none', timeZone: 'Asia/Shanghai', workdays: ['2024-06-01'] }).kindOf(
        dayNumber('2024-06-01'),
      ),
    ).toBe('workday');
    expect(siteCalendar({ kind: 'china', timeZone: 'UTC' }).kindOf(dayNumber('2024-10-01'))).toBe('holiday');
  });
});
