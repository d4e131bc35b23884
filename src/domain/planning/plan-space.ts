import { quantizeSetpoint } from '../setpoints/resolution.js';
import { changesOf, hvacKey, lightingKey } from './changes.js';
import { clamp } from './grid.js';
import { type HvacPlanResult, planHvac } from './hvac.js';
import type { Target } from './hvac-targets.js';
import { planLightingLevels } from './lighting.js';
import type {
  ComfortLimits,
  HvacDeviceInput,
  HvacDevicePlan,
  HvacSlot,
  LightingDeviceInput,
  LightingDevicePlan,
  PlanInput,
  SpacePlan,
} from './types.js';
import { SLOT_MS } from './types.js';

/** The config's default setpoint resolution, °C. */
const DEFAULT_SETPOINT_STEP_C = 0.5;

function lightingDevice(
  device: LightingDeviceInput,
  levels: readonly { levelPct: number; reason: string }[],
  startMs: number,
): LightingDevicePlan {
  const lo = device.minLevelPct ?? 0;
  const hi = Math.max(lo, device.maxLevelPct ?? 100);
  const slots = levels.map((s) => ({ levelPct: clamp(s.levelPct, lo, hi), reason: s.reason }));
  return {
    deviceId: device.deviceId,
    kind: 'lighting',
    ratedPowerW: device.ratedPowerW,
    slots,
    changes: changesOf(slots, startMs, lightingKey),
  };
}

/**
 * The device's setpoint range in a mode: its own limits intersected with the mode's setpoint limits,
 * as the safety layer bounds it. Where they contradict, the setpoint limit wins (cooling no colder,
 * heating no warmer than the limit), so the plan never holds a value the safety layer would change.
 */
function deviceSetpointC(
  setpointC: number,
  mode: 'cool' | 'heat',
  device: HvacDeviceInput,
  comfort: ComfortLimits,
): number {
  const dMin = device.minSetpointC ?? Number.NEGATIVE_INFINITY;
  const dMax = device.maxSetpointC ?? Number.POSITIVE_INFINITY;
  const step = device.setpointStepC ?? DEFAULT_SETPOINT_STEP_C;
  // On the device's own grid, rounded toward more conditioning (comfort first), then inside the
  // range exactly as the safety layer quantizes it: a planned value is one the device can take.
  if (mode === 'cool') {
    const lo = Math.max(dMin, comfort.coolSetpointMinC);
    const hi = Math.min(dMax, comfort.coolSetpointMaxC);
    const v = lo > hi ? lo : clamp(setpointC, lo, hi);
    return quantizeSetpoint(Math.floor(v / step + 1e-9) * step, lo, Math.max(lo, hi), step, 'high');
  }
  const lo = Math.max(dMin, comfort.heatSetpointMinC);
  const hi = Math.min(dMax, comfort.heatSetpointMaxC);
  const v = lo > hi ? hi : clamp(setpointC, lo, hi);
  return quantizeSetpoint(Math.ceil(v / step - 1e-9) * step, Math.min(lo, hi), hi, step, 'low');
}

function hvacDevice(
  device: HvacDeviceInput,
  comfort: ComfortLimits,
  targets: readonly Target[],
  startMs: number,
): HvacDevicePlan {
  const slots: HvacSlot[] = targets.map((t) =>
    t.mode === 'off' || t.setpointC === undefined
      ? { mode: 'off', phase: t.phase, reason: t.reason }
      : {
          mode: t.mode,
          setpointC: deviceSetpointC(t.setpointC, t.mode, device, comfort),
          phase: t.phase,
          reason: t.reason,
        },
  );
  return {
    deviceId: device.deviceId,
    kind: 'hvac',
    ratedPowerW: device.ratedPowerW,
    slots,
    changes: changesOf(slots, startMs, hvacKey),
  };
}

/**
 * The plan of one space for the next 24 hours in 15-minute slots, from `input.startMs` (the slot
 * holding `nowMs`). Pure: everything it knows comes in `input`, time included. HVAC whose schedule
 * the planner does not take over (no cooling or heating, or fan/auto/mixed modes) gets no device
 * plans: it stays on its own schedule. `hvacOverride` is an HVAC plan made elsewhere (the predictive
 * planner's), used instead of the rules'.
 */
export function planSpace(input: PlanInput, nowMs: number, hvacOverride?: HvacPlanResult): SpacePlan {
  const levels = planLightingLevels(input, nowMs);
  const lighting = (input.lighting?.devices ?? []).map((d) => lightingDevice(d, levels, input.startMs));
  const hvacPlan = hvacOverride ?? planHvac(input);
  const hvacInput = input.hvac;
  const hvac =
    hvacPlan?.mode && hvacInput
      ? hvacInput.devices.map((d) => hvacDevice(d, hvacInput.comfort, hvacPlan.targets, input.startMs))
      : [];
  return {
    spaceId: input.spaceId,
    createdAtMs: nowMs,
    startMs: input.startMs,
    slotMs: SLOT_MS,
    lighting,
    hvac,
    hvacMode: hvacPlan?.mode ?? null,
    predictedTempC: hvacPlan?.prediction.tempC ?? [],
    comfortMarginK: hvacPlan?.comfortMarginK ?? [],
    hvacEnergyKWh: hvacPlan?.energyKWh ?? 0,
    hvacCost: hvacPlan?.cost ?? 0,
  };
}
