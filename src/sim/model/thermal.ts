/**
 * A one-node RC thermal model of a space: C dT/dt = UA (Tb - T) + gains + hvac, with Tb the
 * boundary temperature (outdoor air, or a blend with the ground for underground spaces). Inputs
 * are held constant over a step and the exact exponential solution is used, so the result does
 * not depend on the step length for constant inputs and is stable for any step.
 */
export interface ThermalParams {
  /** Heat loss coefficient, W/K. */
  readonly uaWPerK: number;
  /** Heat capacity, J/K. */
  readonly capacityJPerK: number;
}

function decay(params: ThermalParams, dtS: number): number {
  return Math.exp((-dtS * params.uaWPerK) / params.capacityJPerK);
}

/** Indoor temperature after `dtS` seconds with constant boundary temperature, gains and HVAC heat (W, + heats). */
export function stepTemperatureC(
  tC: number,
  boundaryC: number,
  gainsW: number,
  hvacHeatW: number,
  params: ThermalParams,
  dtS: number,
): number {
  const equilibrium = boundaryC + (gainsW + hvacHeatW) / params.uaWPerK;
  return equilibrium + (tC - equilibrium) * decay(params, dtS);
}

/** The HVAC heat (W, + heats, - cools) that brings the space exactly to `targetC` at the end of the step. */
export function heatToReachW(
  targetC: number,
  tC: number,
  boundaryC: number,
  gainsW: number,
  params: ThermalParams,
  dtS: number,
): number {
  const a = decay(params, dtS);
  const equilibrium = (targetC - tC * a) / (1 - a);
  return params.uaWPerK * (equilibrium - boundaryC) - gainsW;
}
