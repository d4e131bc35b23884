import { localHour } from './local-time.js';
import type { Tariff, TouPeriod, TouTariff } from './types.js';

export interface PricedHour {
  /** Null for a flat tariff, which has no periods. */
  readonly period: TouPeriod | null;
  readonly season: string | null;
  readonly pricePerKWh: number;
}

/** The period of a local (month, hour) under a time-of-use tariff. */
export function touPeriod(
  tariff: TouTariff,
  month: number,
  hour: number,
): { period: TouPeriod; season: string } {
  const season = tariff.seasons.find((s) => s.months.includes(month));
  if (!season) throw new RangeError(`tariff "${tariff.id}" has no season for month ${month}`);
  const range = season.ranges.find((r) => hour >= r.fromHour && hour < r.toHour);
  return { period: range ? range.period : season.otherHours, season: season.name };
}

/** Price of energy used in the hour starting at `hourStartMs`, in the site's time zone. */
export function priceAt(tariff: Tariff, hourStartMs: number, timeZone: string): PricedHour {
  if (tariff.kind === 'flat') return { period: null, season: null, pricePerKWh: tariff.pricePerKWh };
  const { month, hour } = localHour(hourStartMs, timeZone);
  const { period, season } = touPeriod(tariff, month, hour);
  const price = tariff.pricesPerKWh[period];
  if (price === undefined) throw new RangeError(`tariff "${tariff.id}" has no price for period "${period}"`);
  return { period, season, pricePerKWh: price };
}

/** Cost of energy in one hour, in the tariff's currency. */
export function costOfHour(tariff: Tariff, hourStartMs: number, energyKWh: number, timeZone: string): number {
  return energyKWh * priceAt(tariff, hourStartMs, timeZone).pricePerKWh;
}

/**
 * Problems with a time-of-use tariff: months with no season or two, periods without a price, hour
 * ranges outside 0..24. Empty when the tariff is usable.
 */
export function tariffProblems(tariff: Tariff): string[] {
  if (tariff.kind === 'flat') {
    return tariff.pricePerKWh >= 0 ? [] : [`price ${tariff.pricePerKWh} is negative`];
  }
  const problems: string[] = [];
  for (let month = 1; month <= 12; month++) {
    const n = tariff.seasons.filter((s) => s.months.includes(month)).length;
    if (n !== 1) problems.push(`month ${month} is in ${n} seasons (needs exactly 1)`);
  }
  for (const s of tariff.seasons) {
    for (const r of s.ranges) {
      if (!(r.fromHour >= 0 && r.toHour <= 24 && r.fromHour < r.toHour)) {
        problems.push(`season "${s.name}": hours ${r.fromHour}-${r.toHour} are not a range within 0..24`);
      }
    }
    for (let hour = 0; hour < 24; hour++) {
      const range = s.ranges.find((r) => hour >= r.fromHour && hour < r.toHour);
      const period = range ? range.period : s.otherHours;
      if (tariff.pricesPerKWh[period] === undefined) {
        problems.push(`season "${s.name}" hour ${hour} is "${period}", which has no price`);
        break;
      }
    }
  }
  return problems;
}
