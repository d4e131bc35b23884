import { type FanSpeed, SetpointPayload } from '../../domain/setpoints/contract.js';
import { haTopics } from '../../domain/setpoints/home-assistant.js';
import { levelOfUnits } from '../../domain/setpoints/resolution.js';
import { tasmotaName } from '../../domain/setpoints/tasmota.js';
import type { ControllerSpec } from './spec.js';
import { type ClimateState, type ControlValue, hvacValue } from './value.js';

export type TasmotaCommand =
  | { readonly command: 'power'; readonly on: boolean }
  | { readonly command: 'dimmer'; readonly value: number }
  | { readonly command: 'pulse'; readonly seconds: number };

/** A command message read the way the real device would read it. */
export type DecodedInput =
  | {
      readonly type: 'native';
      readonly id: string;
      readonly value: ControlValue;
      readonly validUntilMs: number;
    }
  | { readonly type: 'clear' }
  | { readonly type: 'preset'; readonly value: ControlValue }
  | { readonly type: 'tasmota'; readonly commands: readonly TasmotaCommand[] }
  | { readonly type: 'climate'; readonly patch: ClimateState }
  | { readonly type: 'invalid'; readonly reason: string };

const invalid = (reason: string): DecodedInput => ({ type: 'invalid', reason });

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

function decodeNative(spec: ControllerSpec, payload: string): DecodedInput {
  if (payload === '') return { type: 'clear' };
  const raw = parseJson(payload);
  if (raw === undefined) return invalid('payload is not JSON');
  const parsed = SetpointPayload.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(`contract: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim());
  }
  const p = parsed.data;
  const a = spec.target.address;
  if (p.site !== a.site || p.space !== a.space || p.device !== a.device)
    return invalid(`addressed to ${p.site}/${p.space}/${p.device}`);
  if (p.kind !== spec.kind) return invalid(`kind ${p.kind} for a ${spec.kind} device`);
  const validUntilMs = Date.parse(p.validUntil);
  if (p.kind === 'lighting')
    return {
      type: 'native',
      id: p.id,
      value: { kind: 'lighting', levelPct: p.value.levelPct },
      validUntilMs,
    };
  const v = p.value;
  const value =
    v.mode === 'auto'
      ? hvacValue('auto', undefined, v.heatSetpointC, v.coolSetpointC, v.fan)
      : v.mode === 'cool' || v.mode === 'heat'
        ? hvacValue(v.mode, v.setpointC, undefined, undefined, v.fan)
        : hvacValue(v.mode, undefined, undefined, undefined, v.mode === 'fan' ? v.fan : undefined);
  return value ? { type: 'native', id: p.id, value, validUntilMs } : invalid('hvac value incomplete');
}

/** `{"state":"ON","brightness":n}` / `{"state":"OFF"}` as Zigbee2MQTT and HA JSON lights take it. */
function decodeJsonLight(
  payload: string,
  unitsMax: number,
  previous: ControlValue | undefined,
): DecodedInput {
  const body = parseJson(payload);
  if (typeof body !== 'object' || body === null) return invalid('payload is not a JSON object');
  const { state, brightness } = body as { state?: unknown; brightness?: unknown };
  if (state === 'OFF') return { type: 'preset', value: { kind: 'lighting', levelPct: 0 } };
  if (state !== 'ON' && state !== undefined) return invalid(`state ${String(state)}`);
  if (brightness === undefined) {
    if (state !== 'ON') return invalid('neither state nor brightness');
    // ON without brightness: the light comes back at its last level (full when never dimmed).
    const last = previous?.kind === 'lighting' && previous.levelPct > 0 ? previous.levelPct : 100;
    return { type: 'preset', value: { kind: 'lighting', levelPct: last } };
  }
  if (
    typeof brightness !== 'number' ||
    !Number.isFinite(brightness) ||
    brightness < 0 ||
    brightness > unitsMax
  )
    return invalid(`brightness ${String(brightness)}`);
  return {
    type: 'preset',
    value: { kind: 'lighting', levelPct: levelOfUnits(Math.round(brightness), unitsMax) },
  };
}

function tasmotaCommand(name: string, arg: string, spec: ControllerSpec): TasmotaCommand | string {
  const c = name.toLowerCase();
  const a = arg.trim().toUpperCase();
  const relay = spec.target.options.tasmotaRelay;
  const powerNames =
    relay === undefined ? ['power', 'power1'] : [`power${relay}`, ...(relay === 1 ? ['power'] : [])];
  const pulseName = `pulsetime${relay ?? 1}`;
  if (powerNames.includes(c)) {
    if (a === 'ON' || a === '1') return { command: 'power', on: true };
    if (a === 'OFF' || a === '0') return { command: 'power', on: false };
    return `${name} ${arg}`;
  }
  if (c === 'dimmer' && spec.target.options.tasmotaChannel !== 'relay') {
    const n = Number(a);
    return Number.isInteger(n) && n >= 0 && n <= 100 ? { command: 'dimmer', value: n } : `Dimmer ${arg}`;
  }
  if (c === pulseName) {
    const n = Number(a);
    if (!Number.isInteger(n) || n < 0 || n > 64_900) return `${name} ${arg}`;
    // Tasmota's encoding: 1..111 tenths of a second, 112..64900 seconds + 100.
    return { command: 'pulse', seconds: n === 0 ? 0 : n <= 111 ? n / 10 : n - 100 };
  }
  return `unknown command ${name}`;
}

function decodeTasmota(spec: ControllerSpec, topic: string, payload: string): DecodedInput {
  const prefix = `cmnd/${tasmotaName(spec.target)}/`;
  if (!topic.startsWith(prefix)) return invalid(`topic ${topic}`);
  const name = topic.slice(prefix.length);
  const parts =
    name.toLowerCase() === 'backlog'
      ? payload.split(';').map((p) => {
          const [cmd, ...rest] = p.trim().split(/\s+/);
          return [cmd ?? '', rest.join(' ')] as const;
        })
      : [[name, payload] as const];
  const commands: TasmotaCommand[] = [];
  for (const [cmd, arg] of parts) {
    const c = tasmotaCommand(cmd, arg, spec);
    if (typeof c === 'string') return invalid(c);
    commands.push(c);
  }
  return { type: 'tasmota', commands };
}

const FANS: readonly string[] = ['auto', 'low', 'medium', 'high'];

function decodeHaClimate(spec: ControllerSpec, topic: string, payload: string): DecodedInput {
  const t = haTopics(spec.target);
  const n = Number(payload);
  if (topic === t.mode) {
    const mode =
      payload === 'fan_only'
        ? 'fan'
        : payload === spec.target.options.haAutoMode || payload === 'auto' || payload === 'heat_cool'
          ? 'auto'
          : payload === 'off' || payload === 'cool' || payload === 'heat'
            ? payload
            : undefined;
    return mode ? { type: 'climate', patch: { mode } } : invalid(`mode ${payload}`);
  }
  if (topic === t.fanMode)
    return FANS.includes(payload)
      ? { type: 'climate', patch: { fan: payload as FanSpeed } }
      : invalid(`fan ${payload}`);
  if (payload.trim() === '' || !Number.isFinite(n) || n < 5 || n > 35)
    return invalid(`temperature ${payload}`);
  if (topic === t.temperature) return { type: 'climate', patch: { setpointC: n } };
  if (topic === t.temperatureLow) return { type: 'climate', patch: { lowC: n } };
  if (topic === t.temperatureHigh) return { type: 'climate', patch: { highC: n } };
  return invalid(`topic ${topic}`);
}

/** Reads one command message for a controller, in its output format. Never throws. */
export function decodeCommand(
  spec: ControllerSpec,
  topic: string,
  payload: string,
  previous?: ControlValue,
): DecodedInput {
  switch (spec.target.output) {
    case 'native':
      return decodeNative(spec, payload);
    case 'zigbee2mqtt':
      return decodeJsonLight(payload, 254, previous);
    case 'tasmota':
      return decodeTasmota(spec, topic, payload);
    case 'home-assistant':
      return spec.kind === 'lighting'
        ? decodeJsonLight(payload, spec.target.options.haBrightnessScale, previous)
        : decodeHaClimate(spec, topic, payload);
  }
}
