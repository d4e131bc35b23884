import { describe, expect, it } from 'vitest';
import { co2Kg } from '../../../src/domain/tariff/co2.js';
import {
  CN_NATIONAL_GRID_2022,
  CN_RESIDENTIAL_COMBINED_EXAMPLE,
  SHANGHAI_TOU_EXAMPLE,
  TARIFF_PRESETS,
} from '../../../src/domain/tariff/presets.js';
import { costOfHour, priceAt, tariffProblems } from '../../../src/domain/tariff/tariff.js';
import type { TouTariff } from '../../../src/domain/tariff/types.js';

const SH = 'Asia/Shanghai';
/** UTC instant of a Shanghai wall-clock time (UTC+8, no DST). */
const sh = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);

describe('time-of-use periods', () => {
  const period = (ts: number) => priceAt(SHANGHAI_TOU_EXAMPLE, ts, SH).period;

  it('summer hour boundaries: critical 12-14 inside the 8-15 peak, flat to 18, peak to 21, valley from 22', () => {
    expect(period(sh(2024, 7, 15, 5, 59))).toBe('valley');
    expect(period(sh(2024, 7, 15, 6))).toBe('flat');
    expect(period(sh(2024, 7, 15, 7, 59))).toBe('flat');
    expect(period(sh(2024, 7, 15, 8))).toBe('peak');
    expect(period(sh(2024, 7, 15, 11, 59))).toBe('peak');
    expect(period(sh(2024, 7, 15, 12))).toBe('critical');
    expect(period(sh(2024, 7, 15, 13, 59))).toBe('critical');
    expect(period(sh(2024, 7, 15, 14))).toBe('peak');
    expect(period(sh(2024, 7, 15, 15))).toBe('flat');
    expect(period(sh(2024, 7, 15, 18))).toBe('peak');
    expect(period(sh(2024, 7, 15, 21))).toBe('flat');
    expect(period(sh(2024, 7, 15, 22))).toBe('valley');
    expect(period(sh(2024, 7, 15, 23, 59))).toBe('valley');
  });

  it('the season follows the local month, not the UTC one', () => {
    // 30 June 12:00 local: shoulder season, midday is flat.
    expect(period(sh(2024, 6, 30, 12))).toBe('flat');
    // 1 July 12:00 local: summer critical peak.
    expect(period(sh(2024, 7, 1, 12))).toBe('critical');
    // 1 October 12:00 local is shoulder again (flat), the day before still summer.
    expect(period(sh(2024, 10, 1, 12))).toBe('flat');
    expect(period(sh(2024, 9, 30, 12))).toBe('critical');
  });

  it('winter has its critical peak in the evening, shoulder months none', () => {
    expect(period(sh(2024, 12, 31, 19))).toBe('critical');
    expect(period(sh(2025, 1, 10, 20, 59))).toBe('critical');
    expect(period(sh(2025, 1, 10, 12))).toBe('peak');
    expect(period(sh(2025, 2, 1, 19))).toBe('peak');
    expect(period(sh(2025, 2, 1, 12))).toBe('flat');
  });

  it('prices each period at its rate', () => {
    expect(costOfHour(SHANGHAI_TOU_EXAMPLE, sh(2024, 7, 15, 12), 10, SH)).toBeCloseTo(12.6, 10);
    expect(costOfHour(SHANGHAI_TOU_EXAMPLE, sh(2024, 7, 15, 3), 10, SH)).toBeCloseTo(3.1, 10);
  });
});

describe('flat residential combined-meter rate', () => {
  it('costs the same at every hour and season', () => {
    for (const ts of [sh(2024, 1, 1, 0), sh(2024, 7, 15, 12), sh(2024, 10, 3, 22)]) {
      const p = priceAt(CN_RESIDENTIAL_COMBINED_EXAMPLE, ts, SH);
      expect(p.period).toBeNull();
      expect(p.pricePerKWh).toBe(CN_RESIDENTIAL_COMBINED_EXAMPLE.pricePerKWh);
    }
    expect(costOfHour(CN_RESIDENTIAL_COMBINED_EXAMPLE, 0, 100, SH)).toBeCloseTo(64.1, 10);
  });
});

describe('tariff checks', () => {
  it('presets are complete and carry a year and source', () => {
    for (const t of TARIFF_PRESETS) {
      expect(tariffProblems(t)).toEqual([]);
      expect(t.year).toBeGreaterThan(2000);
      expect(t.source.length).toBeGreaterThan(10);
    }
  });

  it('names a month without a season and a period without a price', () => {
    const broken: TouTariff = {
      ...SHANGHAI_TOU_EXAMPLE,
      pricesPerKWh: { peak: 1, flat: 0.6, valley: 0.3 },
      seasons: SHANGHAI_TOU_EXAMPLE.seasons.filter((s) => s.name !== 'winter'),
    };
    const problems = tariffProblems(broken);
    expect(problems).toContain('month 1 is in 0 seasons (needs exactly 1)');
    expect(problems.some((p) => p.includes('"critical", which has no price'))).toBe(true);
    expect(() => priceAt(broken, sh(2024, 1, 5, 10), SH)).toThrow(/no season for month 1/);
  });
});

describe('CO2', () => {
  it('uses the grid factor: 1 MWh at 0.5703 t/MWh is 570.3 kg', () => {
    expect(co2Kg(CN_NATIONAL_GRID_2022, 1000)).toBeCloseTo(570.3, 10);
    expect(CN_NATIONAL_GRID_2022.year).toBe(2022);
  });
});
