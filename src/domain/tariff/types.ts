/** Time-of-use periods in Chinese tariffs: 尖峰 critical peak, 高峰 peak, 平段 flat, 低谷 valley. */
export const TOU_PERIODS = ['critical', 'peak', 'flat', 'valley'] as const;
export type TouPeriod = (typeof TOU_PERIODS)[number];

/** Where a figure comes from and which year it applies to: every tariff and factor carries one. */
export interface Provenance {
  /** Year the price or factor applies to. */
  readonly year: number;
  /** Publisher and document, e.g. a price bureau notice number, or "illustrative". */
  readonly source: string;
}

/** A single rate all day, all year, e.g. the residential combined-meter rate (居民合表). */
export interface FlatTariff extends Provenance {
  readonly kind: 'flat';
  readonly id: string;
  readonly name: string;
  /** ISO 4217 code of the prices (e.g. CNY, EUR). */
  readonly currency: string;
  readonly pricePerKWh: number;
}

/** Hours [fromHour, toHour) of local time belonging to one period. */
export interface TouRange {
  readonly period: TouPeriod;
  readonly fromHour: number;
  readonly toHour: number;
}

/** A season: the months it covers and how its 24 hours split into periods. */
export interface TouSeason {
  readonly name: string;
  /** Months 1..12. */
  readonly months: readonly number[];
  /** Ranges in order of precedence: the first that holds an hour wins (so critical goes first). */
  readonly ranges: readonly TouRange[];
  /** Period of hours no range covers. */
  readonly otherHours: TouPeriod;
}

export interface TouTariff extends Provenance {
  readonly kind: 'tou';
  readonly id: string;
  readonly name: string;
  /** ISO 4217 code of the prices (e.g. CNY, EUR). */
  readonly currency: string;
  /** Price per period, currency units per kWh; a period a tariff lacks (often critical) may be absent. */
  readonly pricesPerKWh: Readonly<Partial<Record<TouPeriod, number>>>;
  readonly seasons: readonly TouSeason[];
}

export type Tariff = FlatTariff | TouTariff;

/** Grid CO2 emission factor for a site's electricity. */
export interface EmissionFactor extends Provenance {
  readonly id: string;
  readonly region: string;
  /** kg CO2 per kWh (numerically equal to t CO2 per MWh). */
  readonly kgCo2PerKWh: number;
}
