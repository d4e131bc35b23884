import { changesOf, hvacKey, lightingKey } from './changes.js';
import { clamp } from './grid.js';
import { planHvac } from './hvac.js';
import type { Target } from './hvac-targets.js';
import { planLightingLevels } from './lighting.js';
import type {
  HvacDeviceInput,
  HvacDevicePlan,
  HvacSlot,
  LightingDeviceInput,
  LightingDevicePlan,
  PlanInput,
  SpacePlan,
} from './types.js';
import { SLOT_MS } from './types.js';

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

function hvacDevice(device: HvacDeviceInput, targets: readonly Target[], startMs: number): HvacDevicePlan {
  const lo = device.minSetpointC ?? Number.NEGATIVE_INFINITY;
  const hi = Math.max(lo, device.maxSetpointC ?? Number.POSITIVE_INFINITY);
  const slots: HvacSlot[] = targets.map((t) =>
    t.mode === 'off' || t.setpointC === undefined
      ? { mode: 'off', phase: t.phase, reason: t.reason }
      : { mode: t.mode, setpointC: clamp(t.setpointC, lo, hi), phase: t.phase, reason: t.reason },
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
 * plans: it stays on its own schedule.
 */
export function planSpace(input: PlanInput, nowMs: number): SpacePlan {
  const levels = planLightingLevels(input, nowMs);
  const lighting = (input.lighting?.devices ?? []).map((d) => lightingDevice(d, levels, input.startMs));
  const hvacPlan = planHvac(input);
  const hvac =
    hvacPlan?.mode && input.hvac
      ? input.hvac.devices.map((d) => hvacDevice(d, hvacPlan.targets, input.startMs))
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
