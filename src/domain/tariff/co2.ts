import type { EmissionFactor } from './types.js';

/** CO2 for an amount of electricity, kg. */
export function co2Kg(factor: EmissionFactor, energyKWh: number): number {
  return energyKWh * factor.kgCo2PerKWh;
}
