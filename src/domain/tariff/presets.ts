import type { EmissionFactor, FlatTariff, Tariff, TouTariff } from './types.js';

/**
 * Built-in examples. Prices change by notice and differ by province, voltage level and customer
 * class: operators should define their own from their bill. Each preset says where it comes from
 * and how sure that is (see docs/savings.md).
 */

/**
 * Residential combined-meter rate (居民合表) for shared facilities of a residential community.
 * Illustrative value of the order of Shanghai's combined-meter residential price below 1 kV
 * (about 0.64 CNY/kWh); not checked against a current notice.
 */
export const CN_RESIDENTIAL_COMBINED_EXAMPLE: FlatTariff = {
  kind: 'flat',
  id: 'cn-residential-combined-example',
  name: 'Residential combined-meter rate 居民合表 (illustrative, Shanghai order of magnitude)',
  pricePerKWh: 0.641,
  currency: 'CNY',
  year: 2024,
  source: 'Illustrative; modelled on the Shanghai 居民合表 single rate. Replace with the rate on the bill.',
};

/**
 * Time-of-use periods modelled on Shanghai's 2022 adjustment of TOU periods for commercial and
 * industrial users (Shanghai DRC, 沪发改价管〔2022〕50号, as recalled, not re-checked): peak 8-11 and
 * 18-21, with the midday 11-15 also peak in summer (Jul-Sep) and winter (Jan, Dec); valley 22-6; the
 * rest flat; critical peak 12-14 in summer and 19-21 in winter. Prices are illustrative ratios
 * (critical 1.2 x peak, valley about 0.3 x peak), not a published price schedule.
 */
export const SHANGHAI_TOU_EXAMPLE: TouTariff = {
  kind: 'tou',
  id: 'shanghai-tou-example',
  name: 'Shanghai-style time of use, peak/flat/valley + critical peak (illustrative prices)',
  pricesPerKWh: { critical: 1.26, peak: 1.05, flat: 0.65, valley: 0.31 },
  currency: 'CNY',
  year: 2022,
  source:
    'Periods modelled on Shanghai DRC notice 沪发改价管〔2022〕50号 (unverified here); prices illustrative.',
  seasons: [
    {
      name: 'summer',
      months: [7, 8, 9],
      ranges: [
        { period: 'critical', fromHour: 12, toHour: 14 },
        { period: 'valley', fromHour: 0, toHour: 6 },
        { period: 'peak', fromHour: 8, toHour: 15 },
        { period: 'peak', fromHour: 18, toHour: 21 },
        { period: 'valley', fromHour: 22, toHour: 24 },
      ],
      otherHours: 'flat',
    },
    {
      name: 'winter',
      months: [1, 12],
      ranges: [
        { period: 'critical', fromHour: 19, toHour: 21 },
        { period: 'valley', fromHour: 0, toHour: 6 },
        { period: 'peak', fromHour: 8, toHour: 15 },
        { period: 'peak', fromHour: 18, toHour: 21 },
        { period: 'valley', fromHour: 22, toHour: 24 },
      ],
      otherHours: 'flat',
    },
    {
      name: 'shoulder',
      months: [2, 3, 4, 5, 6, 10, 11],
      ranges: [
        { period: 'valley', fromHour: 0, toHour: 6 },
        { period: 'peak', fromHour: 8, toHour: 11 },
        { period: 'peak', fromHour: 18, toHour: 21 },
        { period: 'valley', fromHour: 22, toHour: 24 },
      ],
      otherHours: 'flat',
    },
  ],
};

/**
 * China national grid average emission factor for 2022, 0.5703 t CO2/MWh, from the Ministry of
 * Ecology and Environment (the figure given for enterprise GHG reporting; publication year not
 * re-checked here, see docs/savings.md).
 */
export const CN_NATIONAL_GRID_2022: EmissionFactor = {
  id: 'cn-national-grid-2022',
  region: 'China, national grid average',
  kgCo2PerKWh: 0.5703,
  year: 2022,
  source: 'Ministry of Ecology and Environment (MEE), national grid average emission factor for 2022',
};

export const TARIFF_PRESETS: readonly Tariff[] = [CN_RESIDENTIAL_COMBINED_EXAMPLE, SHANGHAI_TOU_EXAMPLE];
export const EMISSION_FACTOR_PRESETS: readonly EmissionFactor[] = [CN_NATIONAL_GRID_2022];
