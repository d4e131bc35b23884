import type { FanSpeed, HvacMode, HvacValue } from '../../domain/setpoints/contract.js';
import type { DeviceLease } from '../model/state.js';

/** A Home Assistant climate's fields, each set by its own command topic. */
export interface ClimateState {
  readonly mode?: HvacMode;
  readonly setpointC?: number;
  readonly lowC?: number;
  readonly highC?: number;
  readonly fan?: FanSpeed;
}

/** What a controller runs: a lighting level, or an HVAC command in the contract's shape. */
export type ControlValue =
  | { readonly kind: 'lighting'; readonly levelPct: number }
  | ({ readonly kind: 'hvac' } & HvacValue);

export function hvacValue(
  mode: HvacMode,
  setpointC?: number,
  low?: number,
  high?: number,
  fan?: FanSpeed,
): ControlValue | undefined {
  const f = fan === undefined ? {} : { fan };
  switch (mode) {
    case 'off':
      return { kind: 'hvac', mode };
    case 'fan':
      return { kind: 'hvac', mode, ...f };
    case 'cool':
    case 'heat':
      return setpointC === undefined ? undefined : { kind: 'hvac', mode, setpointC, ...f };
    case 'auto':
      return low === undefined || high === undefined || low >= high
        ? undefined
        : { kind: 'hvac', mode, heatSetpointC: low, coolSetpointC: high, ...f };
  }
}

/**
 * The model's lease for a value. The model's `auto` is one setpoint with a 1 K dead band either
 * side, so a heat/cool pair maps to its midpoint (exact for the usual 2 K apart pair).
 */
export function leaseOf(value: ControlValue, validUntilMs: number): DeviceLease {
  if (value.kind === 'lighting') return { kind: 'lighting', levelPct: value.levelPct, validUntilMs };
  switch (value.mode) {
    case 'off':
    case 'fan':
      return { kind: 'hvac', mode: value.mode, setpointC: 24, validUntilMs };
    case 'cool':
    case 'heat':
      return { kind: 'hvac', mode: value.mode, setpointC: value.setpointC, validUntilMs };
    case 'auto':
      return {
        kind: 'hvac',
        mode: 'auto',
        setpointC: (value.heatSetpointC + value.coolSetpointC) / 2,
        validUntilMs,
      };
  }
}

/** The value in a state report (the contract's `value` shape, without the kind tag). */
export function reportValue(value: ControlValue): Record<string, unknown> {
  const { kind: _kind, ...rest } = value;
  return rest;
}
