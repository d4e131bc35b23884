import type { SpaceMetrics } from '../../../src/sim/bench/metrics.js';

/** A space's bench metrics with the energy and discomfort a test gives, the rest zero. */
export function spaceMetrics(
  key: string,
  conditioned: boolean,
  lightingKWh: number,
  hvacKWh: number,
  discomfortKh = 0,
): SpaceMetrics {
  return {
    spaceKey: `site/${key}`,
    type: conditioned ? 'lobby' : 'corridor',
    lightingKWh,
    hvacKWh,
    lifeSafetyKWh: 0,
    cost: 0,
    peakKW: 0,
    discomfortKh,
    conditioned,
    underLitHours: 0,
    manualUnderLitHours: 0,
    occupiedHours: 0,
    commandChanges: 0,
    devices: 1,
  };
}
