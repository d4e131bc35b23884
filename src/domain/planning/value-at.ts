import type { SetpointValue } from '../setpoints/contract.js';
import type { SpacePlan } from './types.js';

export interface PlannedValue {
  readonly value: SetpointValue;
  readonly reason: string;
  /** Start and end of the slot the value belongs to, ms. */
  readonly fromMs: number;
  readonly untilMs: number;
}

/**
 * A device's planned value at `tMs`, as a contract value for the safety layer; undefined when the
 * plan does not cover `tMs` or does not know the device (it then stays on its schedule).
 */
export function plannedValueAt(plan: SpacePlan, deviceId: string, tMs: number): PlannedValue | undefined {
  const i = Math.floor((tMs - plan.startMs) / plan.slotMs);
  if (i < 0) return undefined;
  const fromMs = plan.startMs + i * plan.slotMs;
  const untilMs = fromMs + plan.slotMs;
  const light = plan.lighting.find((d) => d.deviceId === deviceId)?.slots[i];
  if (light)
    return { value: { kind: 'lighting', levelPct: light.levelPct }, reason: light.reason, fromMs, untilMs };
  const hvac = plan.hvac.find((d) => d.deviceId === deviceId)?.slots[i];
  if (!hvac) return undefined;
  const value: SetpointValue =
    hvac.mode === 'off' || hvac.setpointC === undefined
      ? { kind: 'hvac', mode: 'off' }
      : { kind: 'hvac', mode: hvac.mode, setpointC: hvac.setpointC };
  return { value, reason: hvac.reason, fromMs, untilMs };
}
