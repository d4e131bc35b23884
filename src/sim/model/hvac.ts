import type { HvacCommand } from './schedule.js';
import { heatToReachW, type ThermalParams } from './thermal.js';

export interface HvacParams {
  /** Rated electrical input, W (compressor and fans). */
  readonly ratedPowerW: number;
  /** Share of rated power the indoor fans draw whenever the unit is not off. */
  readonly fanShare: number;
}

export interface HvacResult {
  /** Heat delivered to the space, W (+ heating, - cooling). */
  readonly heatW: number;
  /** Electrical input, W. */
  readonly electricW: number;
}

/**
 * Coefficient of performance against outdoor temperature for an air-source heat pump or VRF unit:
 * cooling 3.2 at 35 °C rising about 0.12 per kelvin cooler; heating 3.0 at 7 °C falling about
 * 0.06 per kelvin colder (the shape of typical manufacturers' part-load tables, simplified).
 */
export function copCooling(outdoorC: number): number {
  return Math.min(6, Math.max(2, 3.2 + 0.12 * (35 - outdoorC)));
}

export function copHeating(outdoorC: number): number {
  return Math.min(4.5, Math.max(1.6, 3 + 0.06 * (outdoorC - 7)));
}

/** Half-width of the dead band of `auto` around its setpoint, K. */
export const AUTO_DEADBAND_C = 1;

/**
 * What an HVAC unit does over one step under a command: an ideal thermostat that delivers the heat
 * needed to reach the setpoint by the end of the step, limited by capacity, which is the compressor
 * share of the rated input times the COP at the current outdoor temperature.
 */
export function hvacStep(
  command: HvacCommand,
  params: HvacParams,
  tC: number,
  boundaryC: number,
  outdoorC: number,
  gainsW: number,
  thermal: ThermalParams,
  dtS: number,
): HvacResult {
  if (command.mode === 'off') return { heatW: 0, electricW: 0 };
  const fanW = params.ratedPowerW * params.fanShare;
  const compressorW = params.ratedPowerW - fanW;
  const need = (target: number) => heatToReachW(target, tC, boundaryC, gainsW, thermal, dtS);
  const cool = (target: number): HvacResult => {
    const cop = copCooling(outdoorC);
    const heatW = Math.max(-compressorW * cop, Math.min(0, need(target)));
    return { heatW, electricW: fanW + -heatW / cop };
  };
  const heat = (target: number): HvacResult => {
    const cop = copHeating(outdoorC);
    const heatW = Math.min(compressorW * cop, Math.max(0, need(target)));
    return { heatW, electricW: fanW + heatW / cop };
  };
  switch (command.mode) {
    case 'fan':
      return { heatW: 0, electricW: fanW };
    case 'cool':
      return cool(command.setpointC);
    case 'heat':
      return heat(command.setpointC);
    case 'auto': {
      if (need(command.setpointC - AUTO_DEADBAND_C) > 0) return heat(command.setpointC - AUTO_DEADBAND_C);
      if (need(command.setpointC + AUTO_DEADBAND_C) < 0) return cool(command.setpointC + AUTO_DEADBAND_C);
      return { heatW: 0, electricW: fanW };
    }
  }
}
