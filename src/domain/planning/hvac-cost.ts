import { at } from './grid.js';
import type { Prediction } from './thermal.js';

/**
 * Electrical energy per slot, kWh: fans draw `fanShare` of rated input whenever the unit runs, the
 * compressor the rest in proportion to its output share (a simplification of the COP curve).
 */
export function slotEnergyKWh(pred: Prediction, ratedKW: number, fanShare: number, slotH: number): number[] {
  return pred.duty.map((u, i) => (pred.running[i] ? ratedKW * (fanShare + (1 - fanShare) * u) * slotH : 0));
}

export function energyCost(energyKWh: readonly number[], pricePerKWh: readonly number[]): number {
  let sum = 0;
  energyKWh.forEach((e, i) => {
    sum += e * at(pricePerKWh, i, 0);
  });
  return sum;
}
