import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateConfig } from '../../../src/config/parse.js';
import { TariffsConfig } from '../../../src/config/schema/tariff.js';
import { SHANGHAI_TOU_EXAMPLE } from '../../../src/domain/tariff/presets.js';
import { minimalConfig } from '../config/helpers.js';

const messages = (input: unknown): string[] => {
  const r = TariffsConfig.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tariffs config section', () => {
  it('defaults to the built-in examples, so configs without the section stay valid', () => {
    const cfg = TariffsConfig.parse({});
    expect(cfg.defaultTariff).toBe('cn-residential-combined-example');
    expect(cfg.defaultEmissionFactor).toBe('cn-national-grid-2022');
    expect(cfg.tariffs).toEqual([]);
  });

  it('accepts a site-defined time-of-use tariff and refers to it by meter', () => {
    const { kind, name, pricesPerKWh, seasons, year, source } = SHANGHAI_TOU_EXAMPLE;
    const cfg = TariffsConfig.parse({
      tariffs: [{ kind, id: 'my-tou', name, pricesPerKWh, seasons, year, source }],
      meterTariffs: { 'lobby-meter': 'my-tou' },
    });
    expect(cfg.meterTariffs['lobby-meter']).toBe('my-tou');
  });

  it('names unknown ids (checked with the whole config), bad hour ranges and months without a season', () => {
    const whole = validateConfig(
      {
        ...minimalConfig(),
        tariffs: { defaultTariff: 'nope', siteEmissionFactors: { 'test-court': 'mars-grid' } },
      },
      't.yaml',
    );
    const refs = whole.ok ? [] : whole.errors.map((e) => e.message);
    expect(refs).toEqual([
      expect.stringMatching(
        /^t\.yaml: tariffs\.defaultTariff: expected the id of a tariff \(known: .*\), got "nope"$/,
      ),
      expect.stringMatching(
        /^t\.yaml: tariffs\.siteEmissionFactors\.test-court: expected the id of an emission factor \(known: cn-national-grid-2022\), got "mars-grid"$/,
      ),
    ]);
    const errors = messages({
      tariffs: [
        {
          kind: 'tou',
          id: 'half-year',
          name: 'only summer',
          pricesPerKWh: { peak: 1, flat: 0.6, valley: 0.3 },
          seasons: [
            { name: 'summer', months: [6, 7, 8], ranges: [{ period: 'peak', fromHour: 20, toHour: 8 }] },
          ],
          year: 2024,
          source: 'bill',
        },
      ],
    });
    expect(errors.some((e) => e.includes('fromHour must be before toHour'))).toBe(true);
    const ok = messages({
      tariffs: [
        {
          kind: 'tou',
          id: 'half-year',
          name: 'only summer',
          pricesPerKWh: { peak: 1, flat: 0.6, valley: 0.3 },
          seasons: [{ name: 'summer', months: [6, 7, 8] }],
          year: 2024,
          source: 'bill',
        },
      ],
    });
    expect(ok).toContain('tariffs.0: month 1 is in 0 seasons (needs exactly 1)');
  });

  it('a negative price is refused with the field named', () => {
    const r = TariffsConfig.safeParse({
      tariffs: [{ kind: 'flat', id: 'x', name: 'x', pricePerKWh: -1, year: 2024, source: 'bill' }],
    });
    expect(r.success).toBe(false);
    if (!r.success) expect(z.prettifyError(r.error)).toMatch(/pricePerKWh/);
  });
});
