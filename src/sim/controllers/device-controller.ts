import { type DecodedInput, decodeCommand } from './decode.js';
import type { ControllerSpec } from './spec.js';
import type { ClimateState, ControlValue } from './value.js';

/** A native setpoint the controller holds until `validUntilMs`. */
export interface HeldSetpoint {
  readonly id: string;
  readonly value: ControlValue;
  readonly validUntilMs: number;
}

/** Tasmota's own state: power, dimmer and the PulseTime safety timer. */
export interface TasmotaState {
  readonly power?: boolean;
  readonly dimmer: number;
  /** PulseTime, seconds; 0 = no timer. */
  readonly pulseSeconds: number;
  /** When the running pulse switches the relay off. */
  readonly offAtMs?: number | undefined;
}

export interface Override {
  readonly value: ControlValue;
  readonly untilMs: number;
}

/** Everything one simulated controller remembers. Immutable. */
export interface ControllerState {
  readonly native?: HeldSetpoint;
  /** Last value a preset command left the device at (it keeps it: presets cannot expire). */
  readonly preset?: ControlValue;
  readonly tasmota: TasmotaState;
  readonly climate: ClimateState;
  readonly override?: Override;
  /** The service announced `offline`: a native controller returns to its schedule. */
  readonly serviceOffline: boolean;
  readonly rejected: number;
  readonly lastRejectReason?: string;
}

export function initialControllerState(): ControllerState {
  return { tasmota: { dimmer: 100, pulseSeconds: 0 }, climate: {}, serviceOffline: false, rejected: 0 };
}

export type CommandOutcome = 'applied' | 'cleared' | 'ignored' | 'rejected';

function tasmotaValue(s: TasmotaState, relay: boolean): ControlValue | undefined {
  if (s.power === undefined) return undefined;
  return { kind: 'lighting', levelPct: !s.power ? 0 : relay ? 100 : s.dimmer };
}

function applyTasmota(
  spec: ControllerSpec,
  prev: TasmotaState,
  input: DecodedInput & { type: 'tasmota' },
  nowMs: number,
) {
  let s = prev;
  for (const c of input.commands) {
    if (c.command === 'pulse') {
      // A new PulseTime applies from the next ON; 0 also stops a running pulse.
      s = c.seconds === 0 ? { ...s, pulseSeconds: 0, offAtMs: undefined } : { ...s, pulseSeconds: c.seconds };
    } else if (c.command === 'dimmer') {
      s = { ...s, dimmer: c.value, power: c.value > 0 };
    } else {
      s = { ...s, power: c.on };
    }
    if ((c.command === 'power' && c.on) || (c.command === 'dimmer' && c.value > 0)) {
      // Every ON restarts the pulse timer.
      s = { ...s, offAtMs: s.pulseSeconds > 0 ? nowMs + s.pulseSeconds * 1000 : undefined };
    }
    if (s.power === false) s = { ...s, offAtMs: undefined };
  }
  return { state: s, value: tasmotaValue(s, spec.target.options.tasmotaChannel === 'relay') };
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Applies one command message to a controller; invalid payloads are counted, never thrown. */
export function applyCommand(
  spec: ControllerSpec,
  state: ControllerState,
  topic: string,
  payload: string,
  nowMs: number,
): { state: ControllerState; outcome: CommandOutcome } {
  if (topic === spec.statusTopic) {
    const offline = payload === 'offline';
    return { state: { ...state, serviceOffline: offline }, outcome: 'ignored' };
  }
  const input = decodeCommand(spec, topic, payload, state.preset);
  const reject = (reason: string) => ({
    state: { ...state, rejected: state.rejected + 1, lastRejectReason: reason },
    outcome: 'rejected' as const,
  });
  switch (input.type) {
    case 'invalid':
      return reject(input.reason);
    case 'clear': {
      const { native: _n, ...rest } = state;
      return { state: rest, outcome: 'cleared' };
    }
    case 'native':
      // An expired setpoint (a stale retained one, say) is ignored: the contract's rule 1.
      if (input.validUntilMs <= nowMs) return { state, outcome: 'ignored' };
      return {
        state: {
          ...state,
          serviceOffline: false,
          native: { id: input.id, value: input.value, validUntilMs: input.validUntilMs },
        },
        outcome: 'applied',
      };
    case 'preset':
      return { state: { ...state, preset: input.value }, outcome: 'applied' };
    case 'tasmota': {
      // A pulse that has run out switched the relay off before this command arrived.
      const t = state.tasmota;
      const before =
        t.offAtMs !== undefined && t.offAtMs <= nowMs ? { ...t, power: false, offAtMs: undefined } : t;
      const r = applyTasmota(spec, before, input, nowMs);
      const next = { ...state, tasmota: strip(r.state) };
      return { state: r.value ? { ...next, preset: r.value } : next, outcome: 'applied' };
    }
    case 'climate': {
      const climate = strip({ ...state.climate, ...input.patch });
      return { state: { ...state, climate }, outcome: 'applied' };
    }
  }
}

export interface EffectiveCommand {
  /** What the device runs; undefined = its own schedule. */
  readonly value?: ControlValue;
  /** Until when this holds without further messages (Infinity for a preset's last value). */
  readonly untilMs: number;
  /** Id of the native setpoint in force, else null. */
  readonly appliedSetpointId: string | null;
  readonly override: boolean;
}

function climateValue(c: ClimateState): ControlValue | undefined {
  if (c.mode === undefined) return undefined;
  const f = c.fan === undefined ? {} : { fan: c.fan };
  switch (c.mode) {
    case 'off':
      return { kind: 'hvac', mode: 'off' };
    case 'fan':
      return { kind: 'hvac', mode: 'fan', ...f };
    case 'cool':
    case 'heat':
      return c.setpointC === undefined
        ? undefined
        : { kind: 'hvac', mode: c.mode, setpointC: c.setpointC, ...f };
    case 'auto':
      return c.lowC === undefined || c.highC === undefined || c.lowC >= c.highC
        ? undefined
        : { kind: 'hvac', mode: 'auto', heatSetpointC: c.lowC, coolSetpointC: c.highC, ...f };
  }
}

/**
 * What the controller runs at `tMs`: a resident's override wins, then a native setpoint inside its
 * lease (and while the service is not announced offline), then the last preset command (a Tasmota
 * pulse timer switches it off when it runs out), else the device's own schedule.
 */
export function effectiveCommand(spec: ControllerSpec, s: ControllerState, tMs: number): EffectiveCommand {
  if (s.override && tMs < s.override.untilMs)
    return { value: s.override.value, untilMs: s.override.untilMs, appliedSetpointId: null, override: true };
  if (spec.target.output === 'native') {
    if (s.native && tMs < s.native.validUntilMs && !s.serviceOffline)
      return {
        value: s.native.value,
        untilMs: s.native.validUntilMs,
        appliedSetpointId: s.native.id,
        override: false,
      };
    return { untilMs: Number.POSITIVE_INFINITY, appliedSetpointId: null, override: false };
  }
  if (spec.target.output === 'home-assistant' && spec.kind === 'hvac') {
    const v = climateValue(s.climate);
    return v
      ? { value: v, untilMs: Number.POSITIVE_INFINITY, appliedSetpointId: null, override: false }
      : { untilMs: Number.POSITIVE_INFINITY, appliedSetpointId: null, override: false };
  }
  if (spec.target.output === 'tasmota' && s.tasmota.offAtMs !== undefined && tMs >= s.tasmota.offAtMs)
    return {
      value: { kind: 'lighting', levelPct: 0 },
      untilMs: Number.POSITIVE_INFINITY,
      appliedSetpointId: null,
      override: false,
    };
  if (s.preset) {
    const until =
      spec.target.output === 'tasmota'
        ? (s.tasmota.offAtMs ?? Number.POSITIVE_INFINITY)
        : Number.POSITIVE_INFINITY;
    return { value: s.preset, untilMs: until, appliedSetpointId: null, override: false };
  }
  return { untilMs: Number.POSITIVE_INFINITY, appliedSetpointId: null, override: false };
}
