import type { ConditioningMode, ThermalRates } from './types.js';

/** Sub-steps per 15-minute slot when predicting (3 minutes each: the exact solution makes it stable). */
const SUBSTEPS = 5;

/**
 * Temperature after `dtH` hours of dT/dt = a (Tout - T) + g + b u with constant inputs, using the
 * exact exponential solution (stable for any step, and equal to the simulator's RC step).
 */
export function stepTempC(
  tC: number,
  outdoorC: number,
  driveKPerH: number,
  aPerH: number,
  dtH: number,
): number {
  if (aPerH <= 1e-9) return tC + (aPerH * (outdoorC - tC) + driveKPerH) * dtH;
  const eq = outdoorC + driveKPerH / aPerH;
  return eq + (tC - eq) * Math.exp(-aPerH * dtH);
}

function capacityKPerH(rates: ThermalRates, mode: ConditioningMode): number {
  return mode === 'cool' ? rates.coolKPerH : rates.heatKPerH;
}

/**
 * Output share u in [0, 1] an ideal thermostat uses over a step to end at its setpoint, limited by
 * capacity; 0 when the space is already on the right side of the setpoint.
 */
export function thermostatDuty(
  tC: number,
  setpointC: number,
  outdoorC: number,
  rates: ThermalRates,
  mode: ConditioningMode,
  dtH: number,
): number {
  const b = capacityKPerH(rates, mode);
  if (b === 0) return 0;
  const a = rates.aPerH;
  let driveNeeded: number;
  if (a <= 1e-9) driveNeeded = (setpointC - tC) / dtH - rates.gainKPerH;
  else {
    const e = Math.exp(-a * dtH);
    const eq = (setpointC - tC * e) / (1 - e);
    driveNeeded = a * (eq - outdoorC) - rates.gainKPerH;
  }
  const u = driveNeeded / b;
  return Math.min(1, Math.max(0, u));
}

/** One slot's command as the predictor sees it. */
export interface SlotCommand {
  readonly mode: 'off' | ConditioningMode;
  readonly setpointC?: number;
}

export interface Prediction {
  /** Temperature at the end of each slot, °C. */
  readonly tempC: number[];
  /** Mean output share per slot, 0..1 (0 when off). */
  readonly duty: number[];
  /** Whether the unit runs at all in the slot (fans draw power whenever it is on). */
  readonly running: boolean[];
}

/**
 * Predict the space's temperature under a sequence of slot commands, with an ideal thermostat and
 * the learned rates. `capacityFactor` below 1 derates the HVAC (used to choose start times with margin).
 */
export function predict(
  startTempC: number,
  commands: readonly SlotCommand[],
  outdoorC: (slot: number) => number,
  rates: ThermalRates,
  slotH: number,
  capacityFactor = 1,
  /** Gain of the slot beyond the constant one (sun, people), K/h. */
  extraGainKPerH: (slot: number) => number = () => 0,
): Prediction {
  const base: ThermalRates = {
    ...rates,
    coolKPerH: rates.coolKPerH * capacityFactor,
    heatKPerH: rates.heatKPerH * capacityFactor,
  };
  const dtH = slotH / SUBSTEPS;
  const tempC: number[] = [];
  const duty: number[] = [];
  const running: boolean[] = [];
  let t = startTempC;
  for (let i = 0; i < commands.length; i++) {
    const cmd = commands[i] ?? { mode: 'off' };
    const tout = outdoorC(i);
    const derated: ThermalRates = { ...base, gainKPerH: base.gainKPerH + extraGainKPerH(i) };
    let dutySum = 0;
    for (let k = 0; k < SUBSTEPS; k++) {
      let u = 0;
      if (cmd.mode !== 'off' && cmd.setpointC !== undefined) {
        u = thermostatDuty(t, cmd.setpointC, tout, derated, cmd.mode, dtH);
      }
      const b = cmd.mode === 'off' ? 0 : capacityKPerH(derated, cmd.mode);
      t = stepTempC(t, tout, derated.gainKPerH + b * u, derated.aPerH, dtH);
      dutySum += u;
    }
    tempC.push(t);
    duty.push(dutySum / SUBSTEPS);
    running.push(cmd.mode !== 'off');
  }
  return { tempC, duty, running };
}

/** Free-running equilibrium temperature, used when no indoor reading exists. */
export function freeRunningC(outdoorC: number, rates: ThermalRates): number {
  return rates.aPerH > 1e-9 ? outdoorC + rates.gainKPerH / rates.aPerH : outdoorC;
}

/** A slot's gain beyond the constant one: sun by the proxy, people by the occupancy (probability), K/h. */
export function extraGainKPerH(rates: ThermalRates, solarProxy: number, occupancy: number): number {
  return (rates.solarKPerH ?? 0) * solarProxy + (rates.occupancyKPerH ?? 0) * occupancy;
}

/** The extra gain of slot i of a plan input (its solar proxy and occupancy forecast), K/h. */
export function slotExtraGainKPerH(
  input: { readonly solarProxy?: readonly number[]; readonly occupancyProbability: readonly number[] },
  rates: ThermalRates,
  i: number,
): number {
  const solar = input.solarProxy ? (input.solarProxy[Math.min(i, input.solarProxy.length - 1)] ?? 0) : 0;
  const occ = input.occupancyProbability[Math.min(i, input.occupancyProbability.length - 1)] ?? 0;
  return extraGainKPerH(rates, Number.isFinite(solar) ? solar : 0, Number.isFinite(occ) ? occ : 0);
}
