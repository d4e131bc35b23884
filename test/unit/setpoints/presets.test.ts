import { describe, expect, it } from 'vitest';
import { DeviceOutputOptions } from '../../../src/config/schema/control.js';
import {
  decodeMessages,
  encodePreset,
  type OutputTarget,
  pulseTimeSeconds,
  pulseTimeValue,
} from '../../../src/domain/setpoints/index.js';

function target(
  output: OutputTarget['output'],
  kind: OutputTarget['kind'],
  extra: object = {},
  topic?: string,
): OutputTarget {
  return {
    address: { site: 'maple', space: 'lobby', device: 'dev1' },
    kind,
    output,
    topic,
    options: DeviceOutputOptions.parse(extra),
    prefix: 'quietwatt',
  };
}

describe('Zigbee2MQTT light', () => {
  it('sends state and brightness 0-254 on <base>/<name>/set, not retained', () => {
    const t = target('zigbee2mqtt', 'lighting');
    expect(encodePreset(t, { kind: 'lighting', levelPct: 50 })).toEqual([
      { topic: 'zigbee2mqtt/dev1/set', payload: '{"state":"ON","brightness":127}', qos: 1, retain: false },
    ]);
    expect(encodePreset(t, { kind: 'lighting', levelPct: 100 })[0]?.payload).toBe(
      '{"state":"ON","brightness":254}',
    );
    expect(encodePreset(t, { kind: 'lighting', levelPct: 0 })[0]?.payload).toBe('{"state":"OFF"}');
  });

  it('uses the configured topic as <base>/<name> and decodes back', () => {
    const t = target('zigbee2mqtt', 'lighting', {}, 'z2m/garage_row_3');
    const msgs = encodePreset(t, { kind: 'lighting', levelPct: 50 });
    expect(msgs[0]?.topic).toBe('z2m/garage_row_3/set');
    expect(decodeMessages(t, msgs)).toEqual({ kind: 'lighting', levelPct: 50 });
  });

  it('cannot carry HVAC', () => {
    const t = target('zigbee2mqtt', 'hvac');
    expect(encodePreset(t, { kind: 'hvac', mode: 'cool', setpointC: 26 })).toEqual([]);
  });
});

describe('Tasmota', () => {
  it('dimmer: Dimmer 0-100 to switch on at a level, POWER OFF for zero', () => {
    const t = target('tasmota', 'lighting', {}, 'corridor_b2');
    expect(encodePreset(t, { kind: 'lighting', levelPct: 35 })).toEqual([
      { topic: 'cmnd/corridor_b2/Dimmer', payload: '35', qos: 1, retain: false },
    ]);
    expect(encodePreset(t, { kind: 'lighting', levelPct: 0 })).toEqual([
      { topic: 'cmnd/corridor_b2/POWER', payload: 'OFF', qos: 1, retain: false },
    ]);
  });

  it('relay: POWER<n> ON for any level above zero', () => {
    const t = target('tasmota', 'lighting', { tasmotaChannel: 'relay', tasmotaRelay: 2 });
    expect(encodePreset(t, { kind: 'lighting', levelPct: 10 })).toEqual([
      { topic: 'cmnd/dev1/POWER2', payload: 'ON', qos: 1, retain: false },
    ]);
    const off = encodePreset(t, { kind: 'lighting', levelPct: 0 });
    expect(off).toEqual([{ topic: 'cmnd/dev1/POWER2', payload: 'OFF', qos: 1, retain: false }]);
    expect(decodeMessages(t, off)).toEqual({ kind: 'lighting', levelPct: 0 });
  });

  it('safety timer: one Backlog with PulseTime before the ON command', () => {
    const t = target('tasmota', 'lighting', { tasmotaSafetyTimer: true });
    const msgs = encodePreset(t, { kind: 'lighting', levelPct: 40 }, { pulseTimeSeconds: 1860 });
    expect(msgs).toEqual([
      { topic: 'cmnd/dev1/Backlog', payload: 'PulseTime1 1960; Dimmer 40; Power ON', qos: 1, retain: false },
    ]);
    expect(decodeMessages(t, msgs)).toEqual({ kind: 'lighting', levelPct: 40, safetyTimerSeconds: 1860 });
    const handback = encodePreset(t, { kind: 'lighting', levelPct: 80 }, { pulseTimeSeconds: 0 });
    expect(handback[0]?.payload).toBe('PulseTime1 0; Dimmer 80; Power ON');
  });

  it('PulseTime encoding: tenths up to 11.1 s, then seconds + 100, at most 64900', () => {
    expect(pulseTimeValue(0)).toBe(0);
    expect(pulseTimeValue(5)).toBe(50);
    expect(pulseTimeValue(13)).toBe(113);
    expect(pulseTimeValue(360)).toBe(460);
    expect(pulseTimeValue(1e6)).toBe(64_900);
    expect(pulseTimeSeconds(460)).toBe(360);
    expect(pulseTimeSeconds(50)).toBe(5);
  });
});

describe('Home Assistant', () => {
  it('JSON-schema light with brightness_scale', () => {
    const t = target('home-assistant', 'lighting', { haBrightnessScale: 100 }, 'ha/lobby_light');
    expect(encodePreset(t, { kind: 'lighting', levelPct: 42 })).toEqual([
      { topic: 'ha/lobby_light/set', payload: '{"state":"ON","brightness":42}', qos: 1, retain: false },
    ]);
    expect(encodePreset(t, { kind: 'lighting', levelPct: 0 })[0]?.payload).toBe('{"state":"OFF"}');
  });

  it("without a topic, commands go under QuietWatt's prefix, never under the discovery prefix", () => {
    const light = target('home-assistant', 'lighting');
    expect(encodePreset(light, { kind: 'lighting', levelPct: 0 })[0]?.topic).toBe(
      'quietwatt/maple/lobby/dev1/ha/set',
    );
    const ac = target('home-assistant', 'hvac');
    const topics = encodePreset(ac, { kind: 'hvac', mode: 'auto', heatSetpointC: 20, coolSetpointC: 26 }).map(
      (m) => m.topic,
    );
    expect(topics).toEqual([
      'quietwatt/maple/lobby/dev1/ha/temperature_low/set',
      'quietwatt/maple/lobby/dev1/ha/temperature_high/set',
      'quietwatt/maple/lobby/dev1/ha/mode/set',
    ]);
    expect(topics.some((t) => t.startsWith('homeassistant/'))).toBe(false);
  });

  it('climate: temperature, then fan, then mode', () => {
    const t = target('home-assistant', 'hvac', {}, 'ha/gym_ac');
    expect(encodePreset(t, { kind: 'hvac', mode: 'cool', setpointC: 26.5, fan: 'low' })).toEqual([
      { topic: 'ha/gym_ac/temperature/set', payload: '26.5', qos: 1, retain: false },
      { topic: 'ha/gym_ac/fan_mode/set', payload: 'low', qos: 1, retain: false },
      { topic: 'ha/gym_ac/mode/set', payload: 'cool', qos: 1, retain: false },
    ]);
    expect(encodePreset(t, { kind: 'hvac', mode: 'fan' }).map((m) => m.payload)).toEqual(['fan_only']);
    expect(encodePreset(t, { kind: 'hvac', mode: 'off' }).map((m) => m.payload)).toEqual(['off']);
  });

  it('climate auto: low/high temperature topics and heat_cool; custom topics respected', () => {
    const t = target('home-assistant', 'hvac', { haModeCommandTopic: 'bridge/ac1/mode' }, 'ha/ac1');
    const msgs = encodePreset(t, { kind: 'hvac', mode: 'auto', heatSetpointC: 20, coolSetpointC: 26 });
    expect(msgs.map((m) => [m.topic, m.payload])).toEqual([
      ['ha/ac1/temperature_low/set', '20'],
      ['ha/ac1/temperature_high/set', '26'],
      ['bridge/ac1/mode', 'heat_cool'],
    ]);
    expect(decodeMessages(t, msgs)).toEqual({
      kind: 'hvac',
      mode: 'auto',
      heatSetpointC: 20,
      coolSetpointC: 26,
    });
  });
});
