import type { SlotCommand, ThermalRates } from '../../../src/domain/planning/index.js';
import { heatToReachW, stepTemperatureC, type ThermalParams } from '../../../src/sim/model/thermal.js';

/** A space in the simulator's own physics (RC model, ideal thermostat with limited capacity). */
export interface RcSpace {
  readonly thermal: ThermalParams;
  readonly gainsW: number;
  /** Heat the HVAC can move at full output, W. */
  readonly capacityW: number;
}

export const LOBBY: RcSpace = {
  thermal: { uaWPerK: 400, capacityJPerK: 400 * 3600 * 3.5 },
  gainsW: 500,
  capacityW: 6000,
};

/** The rates the planner should learn for an RC space. */
export function trueRates(space: RcSpace): ThermalRates {
  const perH = 3600 / space.thermal.capacityJPerK;
  return {
    aPerH: space.thermal.uaWPerK * perH,
    gainKPerH: space.gainsW * perH,
    coolKPerH: -space.capacityW * perH,
    heatKPerH: space.capacityW * perH,
  };
}

/** Run slot commands through the RC physics at one-minute steps; temperature at each slot's end. */
export function simulate(
  space: RcSpace,
  startC: number,
  commands: readonly SlotCommand[],
  outdoorC: (slot: number) => number,
): number[] {
  const out: number[] = [];
  let t = startC;
  commands.forEach((cmd, i) => {
    const tout = outdoorC(i);
    for (let m = 0; m < 15; m++) {
      let heatW = 0;
      if (cmd.mode !== 'off' && cmd.setpointC !== undefined) {
        const need = heatToReachW(cmd.setpointC, t, tout, space.gainsW, space.thermal, 60);
        heatW =
          cmd.mode === 'cool'
            ? Math.max(-space.capacityW, Math.min(0, need))
            : Math.min(space.capacityW, Math.max(0, need));
      }
      t = stepTemperatureC(t, tout, space.gainsW, heatW, space.thermal, 60);
    }
    out.push(t);
  });
  return out;
}
