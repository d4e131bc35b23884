import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../../../src/domain/calendar/holidays.js';
import { forecastHorizon } from '../../../src/domain/forecast/horizon.js';
import { correctedTowtForecaster, towtForecaster } from '../../../src/domain/forecast/models.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import { HOUR_MS } from '../../../src/domain/forecast/types.js';
import { isOccupied, lcg, MONDAY_MS, series, temperatures } from './synthetic.js';

const N = 35 * 24;
const temps = temperatures(N + 48, lcg(4));
const truth = (i: number): number => (isOccupied(i) ? 80 : 20) + 2 * Math.max(0, 15 - (temps[i] ?? 0));
const y = Array.from({ length: N + 48 }, (_, i) => truth(i));
const history = series(y, temps);
const fitted = towtForecaster().fit(prepareSeries(history), { start: 0, end: N });
const originMs = MONDAY_MS + N * HOUR_MS;

describe('48-hour forecast for the planner', () => {
  it('uses the site forecast where given and the recent-days model elsewhere', () => {
    const given = temps.slice(N, N + 48).map((t, k) => (k < 24 ? t : null));
    const f = forecastHorizon(fitted, history, originMs, { temperatureForecastC: given });
    expect(f.tsMs).toHaveLength(48);
    expect(f.tsMs[0]).toBe(originMs);
    expect(f.temperatureSource.slice(0, 24).every((s) => s === 'forecast')).toBe(true);
    expect(f.temperatureSource.slice(24).every((s) => s === 'recent-days')).toBe(true);
    expect(f.warnings).toContain('no temperature forecast for some hours: used the recent-days model');
    for (let k = 0; k < 24; k++) expect(f.kWh[k]).toBeCloseTo(truth(N + k), 6);
  });

  it('ignores readings at or after the origin', () => {
    const tampered = series(
      y.map((v, i) => (i >= N ? v * 100 : v)),
      temps,
    );
    const corrected = correctedTowtForecaster().fit(prepareSeries(history), { start: 0, end: N });
    const a = forecastHorizon(corrected, history, originMs);
    const b = forecastHorizon(corrected, tampered, originMs);
    expect(b.kWh).toEqual(a.kWh);
  });

  it('warns when the horizon passes the holiday calendar coverage', () => {
    const cn = chinaCalendar();
    const end = cn.coveredUntilDay ?? 0;
    const start = (end - 34) * 86_400_000;
    const h = series(y.slice(0, N), temps.slice(0, N), 'Asia/Shanghai');
    const shifted = { ...h, tsMs: h.tsMs.map((_, i) => start + i * HOUR_MS) };
    const f = forecastHorizon(fitted, shifted, start + N * HOUR_MS, { calendar: cn });
    expect(f.warnings.some((w) => w.startsWith('holiday calendar cn-'))).toBe(true);
  });
});
