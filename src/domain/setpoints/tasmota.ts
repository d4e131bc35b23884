import type { DecodedCommand, EncodedMessage, OutputTarget } from './encoded.js';
import { unitsOfLevel } from './resolution.js';

/**
 * Tasmota dimmers and relays. The device's `topic` is its Tasmota %topic% (default: the device id),
 * commands go to `cmnd/<topic>/<Command>`.
 *
 * Safety timer: Tasmota's PulseTime<n> switches relay n off by itself a set time after each
 * POWER ON (every ON command restarts it; the value is stored in flash). When the device's
 * `tasmotaSafetyTimer` is on and off is a safe state for the space (no safety minimum), every lease
 * is sent as one Backlog `PulseTime<n> <lease + grace>; [Dimmer <level>;] Power<n> ON`, so the
 * light goes out soon after the lease if QuietWatt stops renewing it. Handing the device back
 * sends `PulseTime<n> 0` first, so the device's own use is no longer timed. One Backlog message
 * keeps the commands in order (MQTT orders messages per topic only).
 */

export function tasmotaName(t: OutputTarget): string {
  return t.topic ?? t.address.device;
}

function powerCommand(t: OutputTarget): string {
  return `Power${t.options.tasmotaRelay ?? ''}`;
}

function pulseTimeCommand(t: OutputTarget): string {
  return `PulseTime${t.options.tasmotaRelay ?? 1}`;
}

/** PulseTime encoding: 1..111 = tenths of a second, 112..64900 = seconds + 100. */
export function pulseTimeValue(seconds: number): number {
  if (seconds <= 0) return 0;
  if (seconds <= 11.1) return Math.max(1, Math.round(seconds * 10));
  return Math.min(64_900, Math.round(seconds) + 100);
}

export function pulseTimeSeconds(value: number): number {
  if (value <= 0) return 0;
  return value <= 111 ? value / 10 : value - 100;
}

export interface TasmotaEncodeOptions {
  /** Set PulseTime to this many seconds (0 disables the timer); leave PulseTime alone when absent. */
  readonly pulseTimeSeconds?: number;
}

/** Never retained: a retained cmnd would be replayed at every reboot. */
export function encodeTasmota(
  t: OutputTarget,
  levelPct: number,
  o: TasmotaEncodeOptions = {},
): EncodedMessage[] {
  const base = `cmnd/${tasmotaName(t)}`;
  const relay = t.options.tasmotaChannel === 'relay';
  const on = relay ? levelPct > 0 : unitsOfLevel(levelPct, 100) > 0;
  const msg = (command: string, payload: string): EncodedMessage => ({
    topic: `${base}/${command}`,
    payload,
    qos: t.options.qos,
    retain: false,
  });
  if (o.pulseTimeSeconds === undefined) {
    if (on && !relay) return [msg('Dimmer', String(unitsOfLevel(levelPct, 100)))];
    return [msg(powerCommand(t).toUpperCase(), on ? 'ON' : 'OFF')];
  }
  const parts = [`${pulseTimeCommand(t)} ${pulseTimeValue(o.pulseTimeSeconds)}`];
  if (on && !relay) parts.push(`Dimmer ${unitsOfLevel(levelPct, 100)}`);
  parts.push(`${powerCommand(t)} ${on ? 'ON' : 'OFF'}`);
  return [msg('Backlog', parts.join('; '))];
}

/** Replays Tasmota commands on a model of the device: the resulting level and safety timer. */
export function decodeTasmota(
  t: OutputTarget,
  messages: readonly EncodedMessage[],
): DecodedCommand | undefined {
  const relay = t.options.tasmotaChannel === 'relay';
  const prefix = `cmnd/${tasmotaName(t)}/`;
  const powerName = powerCommand(t).toLowerCase();
  const pulseName = pulseTimeCommand(t).toLowerCase();
  let power: boolean | undefined;
  let dimmer: number | undefined;
  let timer: number | undefined;
  const apply = (command: string, arg: string): boolean => {
    const c = command.toLowerCase();
    const a = arg.trim().toUpperCase();
    if (
      c === powerName ||
      (c === 'power1' && powerName === 'power') ||
      (c === 'power' && powerName === 'power1')
    ) {
      if (a !== 'ON' && a !== 'OFF') return false;
      power = a === 'ON';
    } else if (c === 'dimmer' && !relay) {
      const n = Number(a);
      if (!Number.isInteger(n) || n < 0 || n > 100) return false;
      dimmer = n;
      // Tasmota: Dimmer > 0 switches the light on, Dimmer 0 off.
      power = n > 0;
    } else if (c === pulseName) {
      const n = Number(a);
      if (!Number.isInteger(n) || n < 0 || n > 64_900) return false;
      timer = pulseTimeSeconds(n);
    } else return false;
    return true;
  };
  for (const m of messages) {
    if (!m.topic.startsWith(prefix)) return undefined;
    const command = m.topic.slice(prefix.length);
    if (command.toLowerCase() === 'backlog') {
      for (const part of m.payload.split(';')) {
        const [cmd, ...rest] = part.trim().split(/\s+/);
        if (cmd === undefined || !apply(cmd, rest.join(' '))) return undefined;
      }
    } else if (!apply(command, m.payload)) return undefined;
  }
  if (power === undefined) return undefined;
  // A dimmer switched on without a Dimmer command keeps a level this decoder cannot know.
  if (power && !relay && dimmer === undefined) return undefined;
  const levelPct = !power ? 0 : relay ? 100 : (dimmer ?? 0);
  return timer === undefined
    ? { kind: 'lighting', levelPct }
    : { kind: 'lighting', levelPct, safetyTimerSeconds: timer };
}
