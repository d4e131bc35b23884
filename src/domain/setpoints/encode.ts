import type { SetpointPayload, SetpointValue } from './contract.js';
import { type DecodedCommand, type EncodedMessage, type OutputTarget, supportsKind } from './encoded.js';
import { decodeHa, encodeHaClimate, encodeHaLight } from './home-assistant.js';
import { buildClearMessage, buildNativeMessage, decodeNative } from './native.js';
import { decodeTasmota, encodeTasmota } from './tasmota.js';
import { decodeZ2m, encodeZ2mLight } from './zigbee2mqtt.js';

export interface PresetEncodeOptions {
  /** Tasmota only: PulseTime seconds to set with this command (0 disables it). */
  readonly pulseTimeSeconds?: number;
}

/**
 * Encodes a value for a device that cannot speak the contract. Returns [] when the format cannot
 * carry the device's kind (config validation should have caught it; nothing wrong is sent).
 */
export function encodePreset(
  t: OutputTarget,
  value: SetpointValue,
  o: PresetEncodeOptions = {},
): EncodedMessage[] {
  if (value.kind !== t.kind || !supportsKind(t.output, t.kind)) return [];
  switch (t.output) {
    case 'native':
      return [];
    case 'zigbee2mqtt':
      return value.kind === 'lighting' ? encodeZ2mLight(t, value.levelPct) : [];
    case 'tasmota':
      return value.kind === 'lighting' ? encodeTasmota(t, value.levelPct, o) : [];
    case 'home-assistant': {
      if (value.kind === 'lighting') return encodeHaLight(t, value.levelPct);
      const { kind: _k, ...hvac } = value;
      return encodeHaClimate(t, hvac);
    }
  }
}

/** A setpoint in force: the native message, or the preset commands for its value. */
export function encodeSetpoint(
  t: OutputTarget,
  payload: SetpointPayload,
  value: SetpointValue,
  nowMs: number,
  o: PresetEncodeOptions = {},
): EncodedMessage[] {
  if (t.output === 'native') return [buildNativeMessage(t, payload, nowMs)];
  return encodePreset(t, value, o);
}

/**
 * Handing a device back to its own schedule: native controllers get their retained setpoint
 * cleared (they fall back by themselves); preset devices get the fallback value commanded.
 */
export function encodeHandback(
  t: OutputTarget,
  fallback: SetpointValue,
  o: PresetEncodeOptions = {},
): EncodedMessage[] {
  if (t.output === 'native') return [buildClearMessage(t)];
  return encodePreset(t, fallback, o);
}

/** Reads encoded messages back into the command they amount to (used to check bounds after translation). */
export function decodeMessages(
  t: OutputTarget,
  messages: readonly EncodedMessage[],
): DecodedCommand | undefined {
  if (messages.length === 0) return undefined;
  switch (t.output) {
    case 'native': {
      const last = messages[messages.length - 1];
      return last === undefined ? undefined : decodeNative(last);
    }
    case 'zigbee2mqtt':
      return decodeZ2m(messages);
    case 'tasmota':
      return decodeTasmota(t, messages);
    case 'home-assistant':
      return decodeHa(t, messages);
  }
}
