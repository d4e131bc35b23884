import { describe, expect, it } from 'vitest';
import { dayTypeOf, localTime } from '../../../src/sim/model/calendar.js';
import { newStream, Rng } from '../../../src/sim/model/rng.js';
import { hvacCommand, lightingLevelPct } from '../../../src/sim/model/schedule.js';
import { clearSkyGhiWm2, sinSolarElevation } from '../../../src/sim/model/solar.js';
import { SHANGHAI_CLIMATE, stepWeather, weatherAt } from '../../../src/sim/model/weather.js';

const SH = 'Asia/Shanghai';
/** UTC ms of a Shanghai local wall-clock time. */
const local = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const at = (ms: number) => localTime(ms, SH, 'china');

describe('schedules at local time', () => {
  const lighting = {
    kind: 'lighting' as const,
    defaultLevelPct: 30,
    blocks: [
      { days: ['fri', 'sat'], from: '18:00', to: '02:00', levelPct: 80 },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '18:00', to: '23:00', levelPct: 100 },
    ],
  };

  it('first matching block wins; overnight blocks belong to the day they start', () => {
    // 2026-07-17 is a Friday.
    expect(lightingLevelPct(lighting, at(local(2026, 7, 17, 19)))).toBe(80);
    expect(lightingLevelPct(lighting, at(local(2026, 7, 16, 19)))).toBe(100);
    expect(lightingLevelPct(lighting, at(local(2026, 7, 18, 1)))).toBe(80); // Saturday 01:00, from Friday
    expect(lightingLevelPct(lighting, at(local(2026, 7, 17, 1)))).toBe(30); // Friday 01:00, Thursday has none
    expect(lightingLevelPct(lighting, at(local(2026, 7, 16, 12)))).toBe(30);
  });

  it('HVAC blocks apply in their months only and the unit is off outside them', () => {
    const hvac = {
      kind: 'hvac' as const,
      blocks: [
        {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          months: [7],
          from: '07:00',
          to: '22:00',
          mode: 'cool' as const,
          setpointC: 26,
        },
      ],
    };
    expect(hvacCommand(hvac, at(local(2026, 7, 16, 12)))).toEqual({ mode: 'cool', setpointC: 26 });
    expect(hvacCommand(hvac, at(local(2026, 7, 16, 23))).mode).toBe('off');
    expect(hvacCommand(hvac, at(local(2026, 8, 16, 12))).mode).toBe('off');
  });

  it("China's holidays are rest days and adjusted working days are workdays", () => {
    expect(dayTypeOf('2026-10-01', 3, 'china')).toBe('restday');
    expect(dayTypeOf('2026-10-01', 3, 'none')).toBe('workday');
    expect(dayTypeOf('2026-11-28', 5, 'china')).toBe('restday');
    expect(at(local(2026, 11, 30, 9)).dayType).toBe('workday');
  });
});

describe('weather', () => {
  const run = (month: number, seed: number) => {
    let state = { anomalyC: 0, cloudLogit: 0 };
    const rng = new Rng(newStream(seed, 'weather'));
    const byHour = new Array<number>(24).fill(0);
    let noonGhi = 0;
    const days = 30;
    for (let d = 0; d < days; d++) {
      for (let h = 0; h < 24; h++) {
        const t = local(2026, month, 1 + d, h);
        state = stepWeather(state, SHANGHAI_CLIMATE, 3600, rng);
        const l = at(t);
        const w = weatherAt(state, SHANGHAI_CLIMATE, t, l.dayOfYear, l.minuteOfDay / 60);
        byHour[h] = (byHour[h] ?? 0) + w.outdoorC / days;
        if (h === 12) noonGhi += w.ghiWm2 / days;
        if (h === 2) expect(w.ghiWm2).toBe(0);
      }
    }
    return { byHour, noonGhi, mean: byHour.reduce((a, b) => a + b, 0) / 24 };
  };

  it('has seasons, a diurnal cycle and more sun at a summer noon, reproducibly', () => {
    const july = run(7, 1);
    const january = run(1, 1);
    expect(july.mean).toBeGreaterThan(january.mean + 15);
    expect(july.mean).toBeGreaterThan(24);
    expect(july.mean).toBeLessThan(33);
    expect(july.byHour[14]).toBeGreaterThan((july.byHour[5] ?? 0) + 4);
    expect(july.noonGhi).toBeGreaterThan(january.noonGhi);
    expect(run(7, 1)).toEqual(july);
    expect(run(7, 2).mean).not.toBe(july.mean);
  });

  it('the sun is up at a Shanghai noon and down at midnight', () => {
    const noon = sinSolarElevation(local(2026, 6, 21, 12), 31.2, 121.5);
    expect(Math.asin(noon) * (180 / Math.PI)).toBeGreaterThan(78);
    expect(clearSkyGhiWm2(noon)).toBeGreaterThan(900);
    expect(sinSolarElevation(local(2026, 6, 21, 0), 31.2, 121.5)).toBeLessThan(0);
  });
});
