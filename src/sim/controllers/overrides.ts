import type { SimulatorConfig } from '../../config/schema/runtime.js';
import type { Rng } from '../model/rng.js';
import type { ControllerSpec } from './spec.js';
import type { ControlValue } from './value.js';

export type OverrideParams = SimulatorConfig['overrides'];

export interface OverrideDraw {
  readonly value: ControlValue;
  readonly durationMs: number;
}

/** Whether residents can reach this device at all (wall switch, thermostat). */
export function overridable(spec: ControllerSpec, params: OverrideParams): boolean {
  return params.perDevicePerDay > 0 && params.spaceTypes.includes(spec.spaceType);
}

/**
 * One step's chance of a resident taking manual control. Two numbers are drawn from the device's
 * own stream at every step, whatever happens, so the overrides are the same under any control
 * (the crowd and weather they depend on are too). A resident acts only while someone is present,
 * and only on an HVAC unit when the weather calls for it (cooling when warm, heating when cold).
 */
export function drawOverride(
  spec: ControllerSpec,
  params: OverrideParams,
  rng: Rng,
  dtS: number,
  present: boolean,
  outdoorC: number,
): OverrideDraw | undefined {
  const u = rng.uniform();
  const v = rng.uniform();
  const p = (params.perDevicePerDay * dtS) / 86_400;
  if (!present || u >= p) return undefined;
  const durationMs = -Math.log(Math.max(v, 1e-9)) * params.meanMinutes * 60_000;
  if (spec.kind === 'lighting')
    return { value: { kind: 'lighting', levelPct: params.lightLevelPct }, durationMs };
  if (outdoorC >= params.coolAboveC)
    return { value: { kind: 'hvac', mode: 'cool', setpointC: params.coolSetpointC }, durationMs };
  if (outdoorC <= params.heatBelowC)
    return { value: { kind: 'hvac', mode: 'heat', setpointC: params.heatSetpointC }, durationMs };
  return undefined;
}
