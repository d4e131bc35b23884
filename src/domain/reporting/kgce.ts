/**
 * Energy in kilograms of standard coal equivalent, as Chinese energy statistics and property
 * managers' reports state it. Electricity at its equivalent value (当量值) per GB/T 2589-2020,
 * 0.1229 kgce per kWh: the calorific value of the electricity itself, not the coal burnt to make it.
 */
export const KGCE_PER_KWH = 0.1229;
export const KGCE_FACTOR_SOURCE = 'GB/T 2589-2020, equivalent value of electricity';
export const KGCE_FACTOR_SOURCE_ZH = 'GB/T 2589-2020 电力当量值';

export function kgceOf(energyKWh: number): number {
  return energyKWh * KGCE_PER_KWH;
}
