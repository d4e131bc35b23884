import type { ComfortBand, ControlConfig } from '../../config/schema/control.js';
import type { DeviceConfig } from '../../config/schema/device.js';
import { spaceTypeControlOf } from '../control/space-type-rules.js';
import type { SpaceType } from '../energy.js';
import type { HvacValue, SetpointValue } from '../setpoints/contract.js';
import type { OutputTarget } from '../setpoints/encoded.js';
import { levelScaleOf, quantizeLevel, quantizeSetpoint, setpointStepOf } from '../setpoints/resolution.js';

export interface Range {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Lighting bounds: device limits ∩ the space type's safety minimum. When the device cannot reach
 * the safety minimum, its maximum is the best it can do. A relay is either off or fully on.
 */
export function lightingRange(device: DeviceConfig, type: SpaceType, control: ControlConfig): Range {
  const hi = device.limits.maxLevelPct ?? 100;
  const floor = Math.max(device.limits.minLevelPct ?? 0, spaceTypeControlOf(control, type).safetyMinLevelPct);
  return { lo: Math.min(floor, hi), hi };
}

export interface HvacRanges {
  readonly cool: Range;
  readonly heat: Range;
}

/**
 * HVAC bounds per mode: device limits ∩ the comfort limits of the space type (by default China's
 * rule: cooling setpoints >= 26 °C, heating setpoints <= 20 °C).
 */
export function hvacRanges(device: DeviceConfig, type: SpaceType, control: ControlConfig): HvacRanges {
  const band: ComfortBand = spaceTypeControlOf(control, type).comfort;
  const dMin = device.limits.minSetpointC ?? 5;
  const dMax = device.limits.maxSetpointC ?? 35;
  return {
    cool: { lo: Math.max(dMin, band.coolSetpointMinC), hi: Math.min(dMax, band.coolSetpointMaxC) },
    heat: { lo: Math.max(dMin, band.heatSetpointMinC), hi: Math.min(dMax, band.heatSetpointMaxC) },
  };
}

function narrow(r: Range, around: number | undefined, maxDelta: number | undefined): Range {
  if (around === undefined || maxDelta === undefined) return r;
  const lo = Math.max(r.lo, around - maxDelta);
  const hi = Math.min(r.hi, around + maxDelta);
  return lo <= hi ? { lo, hi } : r;
}

export interface Limits {
  /** Lowest level allowed now by the dimming rate (lighting), %. */
  readonly minLevelPct?: number;
  /** Previous setpoints and the largest change allowed now (HVAC, same mode), °C. */
  readonly prevSetpointC?: number;
  readonly prevHeatSetpointC?: number;
  readonly prevCoolSetpointC?: number;
  readonly maxSetpointDeltaC?: number;
}

/**
 * Brings a value inside its bounds (and rate limits), at a resolution the device can take.
 * Cooling favours the warm side and heating the cool side when bounds contradict each other, so
 * the comfort rule holds even against a badly configured device.
 */
export function boundValue(
  value: SetpointValue,
  target: OutputTarget,
  device: DeviceConfig,
  type: SpaceType,
  control: ControlConfig,
  limits: Limits = {},
): SetpointValue {
  if (value.kind === 'lighting') {
    const r = lightingRange(device, type, control);
    const lo = limits.minLevelPct === undefined ? r.lo : Math.min(r.hi, Math.max(r.lo, limits.minLevelPct));
    return { kind: 'lighting', levelPct: quantizeLevel(value.levelPct, lo, r.hi, levelScaleOf(target)) };
  }
  const ranges = hvacRanges(device, type, control);
  const step = setpointStepOf(target);
  const d = limits.maxSetpointDeltaC;
  const fan = value.mode !== 'off' && value.fan !== undefined ? { fan: value.fan } : {};
  let v: HvacValue;
  switch (value.mode) {
    case 'off':
      v = { mode: 'off' };
      break;
    case 'fan':
      v = { mode: 'fan', ...fan };
      break;
    case 'cool': {
      const r = narrow(ranges.cool, limits.prevSetpointC, d);
      v = { mode: 'cool', setpointC: quantizeSetpoint(value.setpointC, r.lo, r.hi, step, 'high'), ...fan };
      break;
    }
    case 'heat': {
      const r = narrow(ranges.heat, limits.prevSetpointC, d);
      v = { mode: 'heat', setpointC: quantizeSetpoint(value.setpointC, r.lo, r.hi, step, 'low'), ...fan };
      break;
    }
    case 'auto': {
      const rh = narrow(ranges.heat, limits.prevHeatSetpointC, d);
      const rc = narrow(ranges.cool, limits.prevCoolSetpointC, d);
      v = {
        mode: 'auto',
        heatSetpointC: quantizeSetpoint(value.heatSetpointC, rh.lo, rh.hi, step, 'low'),
        coolSetpointC: quantizeSetpoint(value.coolSetpointC, rc.lo, rc.hi, step, 'high'),
        ...fan,
      };
      break;
    }
  }
  return { kind: 'hvac', ...v };
}
