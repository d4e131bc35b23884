import { describe, expect, it } from 'vitest';
import { fillShortGaps, toHourlySeries } from '../../../src/adapters/csv/hourly-grid.js';
import { detectLayout, parseTable } from '../../../src/adapters/csv/layouts.js';
import { readTables } from '../../../src/adapters/csv/read-meter-csv.js';
import { standardOffsetZone } from '../../../src/adapters/csv/shared-data.js';
import { parseWallTime, resolveZone, wallTimeToUtcMs } from '../../../src/adapters/csv/timestamps.js';

const H = 3_600_000;
const table = (text: string) => parseTable(text);

describe('timestamps', () => {
  const london = resolveZone('Europe/London');
  if (!london) throw new Error('zone');

  it('reads ISO, US and offset forms', () => {
    expect(parseWallTime('2019-01-02 03:04:05')).toMatchObject({
      year: 2019,
      month: 1,
      day: 2,
      hour: 3,
      minute: 4,
    });
    expect(parseWallTime('01/02/2011 13:00')).toMatchObject({ year: 2011, month: 1, day: 2, hour: 13 });
    const w = parseWallTime('2019-06-01T12:00:00+02:00');
    if (!w) throw new Error('parse');
    expect(wallTimeToUtcMs(w, london)).toBe(Date.UTC(2019, 5, 1, 10));
    expect(parseWallTime('yesterday')).toBeNull();
  });

  it('keeps both copies of the repeated autumn hour in order', () => {
    const w = parseWallTime('2019-10-27 01:30');
    if (!w) throw new Error('parse');
    const first = wallTimeToUtcMs(w, london);
    expect(first).toBe(Date.UTC(2019, 9, 27, 0, 30)); // 01:30 BST
    expect(wallTimeToUtcMs(w, london, first)).toBe(Date.UTC(2019, 9, 27, 1, 30)); // 01:30 GMT
  });

  it('accepts fixed offsets and finds a zone’s standard offset', () => {
    const z = resolveZone('UTC+1');
    const w = parseWallTime('2019-03-31 02:00');
    if (!z || !w) throw new Error('zone');
    expect(wallTimeToUtcMs(w, z)).toBe(Date.UTC(2019, 2, 31, 1));
    expect(standardOffsetZone('US/Eastern')).toBe('UTC-5');
    expect(resolveZone('Nowhere/Else')).toBeNull();
  });
});

describe('CSV layouts and options', () => {
  it('recognises every shared layout by its header', () => {
    expect(detectLayout(['timestamp', 'kWh', 'temperatureC'])).toBe('simple');
    expect(detectLayout(['datetime', 'equipment load [kWh]'])).toBe('cambridge');
    expect(detectLayout(['timestamp', 'Panther_office_Karla'])).toBe('bdg2');
    expect(detectLayout(['Date_Time', 'Year', 'Total_Power'])).toBe('polito');
    expect(detectLayout(['Day of Week', 'Date and Time', 'Total Building (kW)'])).toBe('nrel');
    expect(() => detectLayout(['when', 'what'])).toThrow(/unrecognised CSV header/);
  });

  it('simple layout: local timestamps in a DST zone land on a contiguous UTC grid', () => {
    // London, 2019-03-31: 00:00 GMT, then 02:00 BST (01:xx does not exist).
    const csv =
      'timestamp,kWh,temperatureC\n2019-03-31 00:00,1,5\n2019-03-31 02:00,2,6\n2019-03-31 03:00,3,7\n';
    const r = readTables([table(csv)], { timestampTimeZone: 'Europe/London' });
    expect(r.series.timeZone).toBe('Europe/London');
    expect(r.series.tsMs).toEqual([
      Date.UTC(2019, 2, 31, 0),
      Date.UTC(2019, 2, 31, 1),
      Date.UTC(2019, 2, 31, 2),
    ]);
    expect(r.series.kWh).toEqual([1, 2, 3]);
    expect(r.series.temperatureC).toEqual([5, 6, 7]);
  });

  it('autumn repeated hour: both readings kept, one hour apart', () => {
    const csv =
      'timestamp,kWh\n2019-10-27 00:00,1\n2019-10-27 01:00,2\n2019-10-27 01:00,3\n2019-10-27 02:00,4\n';
    const r = readTables([table(csv)], { timestampTimeZone: 'Europe/London' });
    expect(r.series.kWh).toEqual([1, 2, 3, 4]);
    expect(r.series.tsMs[0]).toBe(Date.UTC(2019, 9, 26, 23));
  });

  it('hour-ending timestamps are moved to the start of their hour', () => {
    const csv =
      'Day of Week,Date and Time,Total Building (kW)\nSaturday,01/01/2011 01:00,10\nSaturday,01/01/2011 02:00,20\n';
    const r = readTables([table(csv)]);
    expect(r.settings.hourEnding).toBe(true);
    expect(r.series.tsMs[0]).toBe(Date.UTC(2011, 0, 1, 7)); // 00:00 MST
    expect(r.series.kWh).toEqual([10, 20]);
    const asStart = readTables([table(csv)], { hourEnding: false });
    expect(asStart.series.tsMs[0]).toBe(Date.UTC(2011, 0, 1, 8));
  });

  it('zero means missing (Cambridge default) and can be switched off', () => {
    const csv =
      'datetime,equipment load [kWh]\n2018-01-01 00:00:00,5\n2018-01-01 01:00:00,0\n2018-01-01 03:00:00,7\n';
    const r = readTables([table(csv)]);
    expect(r.settings.buildingTimeZone).toBe('Europe/London');
    expect(r.series.kWh).toEqual([5, null, null, 7]); // 02:00 absent from the file -> null too
    expect(readTables([table(csv)], { zeroMeansMissing: false }).series.kWh).toEqual([5, 0, null, 7]);
  });

  it('15-minute kW rows become hourly kWh; a mostly empty hour is missing', () => {
    const rows = ['"Date_Time","Total_Power"'];
    for (let q = 0; q < 4; q++)
      rows.push(`2019-01-01 00:${String(q * 15).padStart(2, '0')}:00,${100 + q * 10}`);
    rows.push('2019-01-01 01:00:00,50');
    const r = readTables([table(`${rows.join('\n')}\n`)]);
    expect(r.settings.stepMinutes).toBe(15);
    expect(r.series.kWh).toEqual([115, null]);
    expect(r.series.tsMs[0]).toBe(Date.UTC(2018, 11, 31, 23)); // UTC+1
  });

  it('counts unreadable rows instead of failing', () => {
    const r = readTables([table('timestamp,kWh\n2020-01-01 00:00,1\nnot a time,2\n2020-01-01 01:00,x\n')]);
    expect(r.badRows).toBe(1);
    expect(r.series.kWh).toEqual([1, null]);
  });

  it('rejects a building zone that is not an IANA name', () => {
    expect(() =>
      readTables([table('timestamp,kWh\n2020-01-01 00:00,1\n')], { buildingTimeZone: 'UTC+8' }),
    ).toThrow(/building time zone/);
  });

  it('fills short temperature gaps only', () => {
    expect(fillShortGaps([1, null, 3, null, null, null, null, 8], 2)).toEqual([
      1,
      2,
      3,
      null,
      null,
      null,
      null,
      8,
    ]);
    const s = toHourlySeries([], {
      unit: 'kWh',
      stepMinutes: 60,
      buildingTimeZone: 'UTC',
      withTemperature: false,
    });
    expect(s.tsMs).toEqual([]);
    expect(H).toBe(3_600_000);
  });
});
