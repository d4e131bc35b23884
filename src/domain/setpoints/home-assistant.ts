import type { FanSpeed, HvacMode, HvacValue } from './contract.js';
import type { DecodedCommand, EncodedMessage, OutputTarget } from './encoded.js';
import { levelOfUnits, unitsOfLevel } from './resolution.js';

/**
 * Home Assistant MQTT command topics: a JSON-schema light (`<base>/set`) and an MQTT climate
 * (mode, temperature, temperature_low/high, fan_mode command topics). `<base>` is the device's
 * `topic`, default `<prefix>/<site>/<space>/<device>/ha`: under QuietWatt's own prefix, never
 * under Home Assistant's discovery prefix (`homeassistant/`), which holds discovery configs, and
 * where commands would be writable by whoever may publish discovery. Each climate topic can be set
 * on its own.
 */
function base(t: OutputTarget): string {
  const a = t.address;
  return t.topic ?? `${t.prefix}/${a.site}/${a.space}/${a.device}/ha`;
}

export function haTopics(t: OutputTarget): {
  light: string;
  mode: string;
  temperature: string;
  temperatureLow: string;
  temperatureHigh: string;
  fanMode: string;
} {
  const b = base(t);
  const o = t.options;
  return {
    light: `${b}/set`,
    mode: o.haModeCommandTopic ?? `${b}/mode/set`,
    temperature: o.haTemperatureCommandTopic ?? `${b}/temperature/set`,
    temperatureLow: o.haTemperatureLowCommandTopic ?? `${b}/temperature_low/set`,
    temperatureHigh: o.haTemperatureHighCommandTopic ?? `${b}/temperature_high/set`,
    fanMode: o.haFanModeCommandTopic ?? `${b}/fan_mode/set`,
  };
}

/** JSON-schema light: `{"state":"OFF"}` or `{"state":"ON","brightness":1..brightness_scale}`. */
export function encodeHaLight(t: OutputTarget, levelPct: number): EncodedMessage[] {
  const brightness = unitsOfLevel(levelPct, t.options.haBrightnessScale);
  const body = brightness === 0 ? { state: 'OFF' } : { state: 'ON', brightness };
  return [{ topic: haTopics(t).light, payload: JSON.stringify(body), qos: t.options.qos, retain: false }];
}

function haMode(t: OutputTarget, mode: HvacMode): string {
  if (mode === 'fan') return 'fan_only';
  if (mode === 'auto') return t.options.haAutoMode;
  return mode;
}

/**
 * Climate: setpoints first, then fan, then the mode, so a mode change never runs on a stale
 * setpoint when the bridge handles topics in arrival order.
 */
export function encodeHaClimate(t: OutputTarget, v: HvacValue): EncodedMessage[] {
  const topics = haTopics(t);
  const msg = (topic: string, payload: string): EncodedMessage => ({
    topic,
    payload,
    qos: t.options.qos,
    retain: false,
  });
  const out: EncodedMessage[] = [];
  if (v.mode === 'cool' || v.mode === 'heat') out.push(msg(topics.temperature, String(v.setpointC)));
  if (v.mode === 'auto') {
    out.push(msg(topics.temperatureLow, String(v.heatSetpointC)));
    out.push(msg(topics.temperatureHigh, String(v.coolSetpointC)));
  }
  if (v.mode !== 'off' && v.fan !== undefined) out.push(msg(topics.fanMode, v.fan));
  out.push(msg(topics.mode, haMode(t, v.mode)));
  return out;
}

const FANS: readonly string[] = ['auto', 'low', 'medium', 'high'];

export function decodeHa(t: OutputTarget, messages: readonly EncodedMessage[]): DecodedCommand | undefined {
  const topics = haTopics(t);
  if (t.kind === 'lighting') {
    let levelPct: number | undefined;
    for (const m of messages) {
      if (m.topic !== topics.light) return undefined;
      let body: unknown;
      try {
        body = JSON.parse(m.payload);
      } catch {
        return undefined;
      }
      const { state, brightness } = (body ?? {}) as { state?: unknown; brightness?: unknown };
      if (state === 'OFF') levelPct = 0;
      else if (state === 'ON' && typeof brightness === 'number')
        levelPct = levelOfUnits(brightness, t.options.haBrightnessScale);
      else return undefined;
    }
    return levelPct === undefined ? undefined : { kind: 'lighting', levelPct };
  }
  let mode: HvacMode | undefined;
  let setpointC: number | undefined;
  let low: number | undefined;
  let high: number | undefined;
  let fan: FanSpeed | undefined;
  for (const m of messages) {
    const n = Number(m.payload);
    if (m.topic === topics.mode) {
      const p = m.payload;
      if (p === 'fan_only') mode = 'fan';
      else if (p === t.options.haAutoMode) mode = 'auto';
      else if (p === 'off' || p === 'cool' || p === 'heat') mode = p;
      else return undefined;
    } else if (m.topic === topics.temperature && Number.isFinite(n)) setpointC = n;
    else if (m.topic === topics.temperatureLow && Number.isFinite(n)) low = n;
    else if (m.topic === topics.temperatureHigh && Number.isFinite(n)) high = n;
    else if (m.topic === topics.fanMode && FANS.includes(m.payload)) fan = m.payload as FanSpeed;
    else return undefined;
  }
  if (mode === undefined) return undefined;
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
      return low === undefined || high === undefined
        ? undefined
        : { kind: 'hvac', mode, heatSetpointC: low, coolSetpointC: high, ...f };
  }
}
