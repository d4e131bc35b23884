import { z } from 'zod';
import { EMISSION_FACTOR_PRESETS, TARIFF_PRESETS } from '../../domain/tariff/presets.js';
import { tariffProblems } from '../../domain/tariff/tariff.js';
import { type Tariff, TOU_PERIODS } from '../../domain/tariff/types.js';
import { Id } from './common.js';

const Year = z
  .number()
  .int()
  .min(1990)
  .max(2100)
  .meta({ description: 'Year the price or factor applies to' });
const Source = z
  .string()
  .min(3)
  .meta({ text: true, description: 'Where the figure comes from (notice, bill, publisher)' });
const TariffId = Id.meta({
  idOf: 'tariff',
  description: 'Tariff id, unique among tariffs and the built-in ones',
});
const Name = z.string().min(1).meta({ text: true, description: 'Human-readable name' });
const Price = z.number().min(0).max(100).meta({ description: 'Price per kWh, in the tariff currency' });
/** ISO 4217 alphabetic code; the demo and the presets use CNY. */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code: three upper-case letters, e.g. CNY, EUR, USD')
  .default('CNY')
  .meta({ text: true, description: 'ISO 4217 currency of the prices (three upper-case letters)' });

const FlatTariffConfig = z
  .object({
    kind: z.literal('flat'),
    id: TariffId,
    name: Name,
    currency: Currency,
    pricePerKWh: Price,
    year: Year,
    source: Source,
  })
  .strict()
  .meta({ description: 'One rate at all hours, e.g. the residential combined-meter rate (居民合表)' });

const TouRangeConfig = z
  .object({
    period: z.enum(TOU_PERIODS),
    fromHour: z.number().int().min(0).max(23).meta({ description: 'First local hour, 0..23' }),
    toHour: z.number().int().min(1).max(24).meta({ description: 'Hour the range ends (exclusive), 1..24' }),
  })
  .strict()
  .refine((r) => r.fromHour < r.toHour, { message: 'fromHour must be before toHour', path: ['toHour'] });

const TouSeasonConfig = z
  .object({
    name: Name.meta({ description: 'Name of the season, e.g. summer' }),
    months: z.array(z.number().int().min(1).max(12)).min(1).meta({ description: 'Months 1..12' }),
    ranges: z
      .array(TouRangeConfig)
      .default([])
      .meta({ description: 'Hour ranges; the first range holding an hour decides it (list critical first)' }),
    otherHours: z.enum(TOU_PERIODS).default('flat').meta({ description: 'Period of hours no range covers' }),
  })
  .strict();

const TouTariffConfig = z
  .object({
    kind: z.literal('tou'),
    id: TariffId,
    name: Name,
    currency: Currency,
    pricesPerKWh: z
      .object({ critical: Price.optional(), peak: Price, flat: Price, valley: Price })
      .strict()
      .meta({ description: 'Price per time-of-use period (critical peak optional)' }),
    seasons: z.array(TouSeasonConfig).min(1),
    year: Year,
    source: Source,
  })
  .strict()
  .meta({ description: 'Time of use: peak / flat / valley (and critical peak) by local hour and season' });

export const TariffConfig = z
  .discriminatedUnion('kind', [FlatTariffConfig, TouTariffConfig])
  .superRefine((t, ctx) => {
    for (const message of tariffProblems(t as Tariff)) ctx.addIssue({ code: 'custom', message });
  });

export const EmissionFactorConfig = z
  .object({
    id: Id.meta({
      idOf: 'emission-factor',
      description: 'Factor id, unique among factors and the built-in ones',
    }),
    region: z.string().min(1).meta({ text: true, description: 'Grid region the factor applies to' }),
    kgCo2PerKWh: z.number().min(0).max(2).meta({ description: 'kg CO2 per kWh (= t CO2 per MWh)' }),
    year: Year,
    source: Source,
  })
  .strict();

const PRESET_TARIFF_IDS = TARIFF_PRESETS.map((t) => t.id);
const PRESET_FACTOR_IDS = EMISSION_FACTOR_PRESETS.map((f) => f.id);

/**
 * Prices and grid emission factors for the savings ledger. Built-in examples (see docs/savings.md)
 * can be named by id; real sites should define the tariff on their bill.
 */
export const TariffsConfig = z
  .object({
    tariffs: z
      .array(TariffConfig)
      .default([])
      .meta({ description: 'Tariffs defined here, besides the built-in examples' }),
    defaultTariff: z
      .string()
      .default('cn-residential-combined-example')
      .meta({
        ref: 'tariff',
        description: `Tariff of meters not listed in meterTariffs (built-in: ${PRESET_TARIFF_IDS.join(', ')})`,
      }),
    meterTariffs: z
      .record(Id.meta({ ref: 'meter' }), z.string().meta({ ref: 'tariff' }))
      .default({})
      .meta({ description: 'Tariff id per meter id' }),
    emissionFactors: z.array(EmissionFactorConfig).default([]),
    defaultEmissionFactor: z
      .string()
      .default('cn-national-grid-2022')
      .meta({
        ref: 'emission-factor',
        description: `Grid CO2 factor of sites not listed (built-in: ${PRESET_FACTOR_IDS.join(', ')})`,
      }),
    siteEmissionFactors: z
      .record(Id.meta({ ref: 'site' }), z.string().meta({ ref: 'emission-factor' }))
      .default({})
      .meta({ description: 'Emission factor id per site id' }),
  })
  .strict();
export type TariffsConfig = z.infer<typeof TariffsConfig>;
