import { describe, expect, it } from 'vitest';
import { outputTargetOf } from '../../../src/domain/safety/context.js';
import type { SetpointValue } from '../../../src/domain/setpoints/contract.js';
import { StateReport } from '../../../src/domain/setpoints/contract.js';
import { encodeHandback, encodePreset } from '../../../src/domain/setpoints/encode.js';
import type { EncodedMessage, OutputTarget } from '../../../src/domain/setpoints/encoded.js';
import { buildNativeMessage, makeSetpointPayload } from '../../../src/domain/setpoints/native.js';
import { SimulatedControllers } from '../../../src/sim/controllers/simulated-controllers.js';
import { buildCommunityModel } from '../../../src/sim/model/build.js';
import type { CommunityState, SpaceState } from '../../../src/sim/model/state.js';
import { contextOf, controllersConfig } from './controllers-fixture.js';

const DAY_10H = Date.UTC(2026, 6, 6, 2); // 10:00 in Shanghai: schedules at 100 % and cool 26 °C
const NIGHT_22H = Date.UTC(2026, 6, 6, 14); // 22:00: lights 30 %, HVAC off

function setup(overrides: Record<string, unknown> = {}) {
  const config = controllersConfig(overrides);
  const model = buildCommunityModel(config);
  const ctl = new SimulatedControllers(config, model);
  const target = (id: string): OutputTarget => {
    const t = outputTargetOf(contextOf(config, id));
    if (!t) throw new Error(id);
    return t;
  };
  const send = (messages: readonly EncodedMessage[], now: number) => {
    for (const m of messages) ctl.onMessage(m.topic, m.payload, now);
  };
  const native = (
    id: string,
    value: SetpointValue,
    now: number,
    leaseMs = 30 * 60_000,
    setpointId = `${id}-1`,
  ) =>
    buildNativeMessage(
      target(id),
      makeSetpointPayload(value, {
        id: setpointId,
        address: target(id).address,
        issuedAtMs: now,
        validUntilMs: now + leaseMs,
        planId: 'plan-1',
        reason: 'test',
      }),
      now,
    );
  return { config, model, ctl, target, send, native };
}

describe('simulated controllers: native contract', () => {
  it('obeys a setpoint inside its lease and returns to its schedule at validUntil', () => {
    const { ctl, send, native } = setup();
    const t = DAY_10H;
    send([native('native-light', { kind: 'lighting', levelPct: 35 }, t, 10 * 60_000)], t);
    expect(ctl.currentValue('native-light', t + 60_000)).toEqual({ kind: 'lighting', levelPct: 35 });
    expect(ctl.currentValue('native-light', t + 10 * 60_000 - 1)).toEqual({ kind: 'lighting', levelPct: 35 });
    expect(ctl.currentValue('native-light', t + 10 * 60_000)).toEqual({ kind: 'lighting', levelPct: 100 });
  });

  it('an empty retained message clears the setpoint at once', () => {
    const { ctl, send, native, target } = setup();
    send([native('native-ac', { kind: 'hvac', mode: 'cool', setpointC: 28 }, DAY_10H)], DAY_10H);
    expect(ctl.currentValue('native-ac', DAY_10H)).toEqual({ kind: 'hvac', mode: 'cool', setpointC: 28 });
    const clear = encodeHandback(target('native-ac'), { kind: 'hvac', mode: 'cool', setpointC: 26 });
    expect(clear[0]?.payload).toBe('');
    send(clear, DAY_10H + 60_000);
    expect(ctl.currentValue('native-ac', DAY_10H + 60_000)).toEqual({
      kind: 'hvac',
      mode: 'cool',
      setpointC: 26,
    });
  });

  it('ignores an expired (stale retained) setpoint and rejects malformed or misaddressed ones', () => {
    const { ctl, send, native, target } = setup();
    const old = native('native-light', { kind: 'lighting', levelPct: 10 }, DAY_10H - 3_600_000, 30 * 60_000);
    send([old], DAY_10H);
    expect(ctl.currentValue('native-light', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 100 });
    const topic = native('native-light', { kind: 'lighting', levelPct: 10 }, DAY_10H).topic;
    ctl.onMessage(topic, '{not json', DAY_10H);
    ctl.onMessage(topic, JSON.stringify({ contract: 2, id: 'x' }), DAY_10H);
    const other = native('native-ac', { kind: 'hvac', mode: 'off' }, DAY_10H);
    ctl.onMessage(topic, other.payload, DAY_10H);
    expect(ctl.controllerState('native-light')?.rejected).toBe(3);
    expect(ctl.currentValue('native-light', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 100 });
    expect(target('native-light').address.device).toBe('native-light');
  });

  it('returns to its schedule when the service announces offline', () => {
    const { ctl, send, native, config } = setup();
    send([native('native-light', { kind: 'lighting', levelPct: 20 }, DAY_10H)], DAY_10H);
    ctl.onMessage(`${config.mqtt.topicPrefix}/status`, 'offline', DAY_10H + 1000);
    expect(ctl.currentValue('native-light', DAY_10H + 2000)).toEqual({ kind: 'lighting', levelPct: 100 });
  });

  it('maps auto to the model and keeps the contract value', () => {
    const { ctl, send, native } = setup();
    send(
      [native('native-ac', { kind: 'hvac', mode: 'auto', heatSetpointC: 20, coolSetpointC: 26 }, DAY_10H)],
      DAY_10H,
    );
    const leased = ctl.prepareStep({ ...emptyState(DAY_10H) }).leases['native-ac'];
    expect(leased).toMatchObject({ kind: 'hvac', mode: 'auto', setpointC: 23 });
  });
});

describe('simulated controllers: presets', () => {
  it('Zigbee2MQTT: brightness and OFF, kept until the next command (no expiry)', () => {
    const { ctl, send, target } = setup();
    send(encodePreset(target('z2m-light'), { kind: 'lighting', levelPct: 50 }), DAY_10H);
    const v = ctl.currentValue('z2m-light', DAY_10H + 86_400_000);
    expect(v?.kind === 'lighting' ? v.levelPct : -1).toBeCloseTo(50, 0);
    send(encodePreset(target('z2m-light'), { kind: 'lighting', levelPct: 0 }), DAY_10H);
    expect(ctl.currentValue('z2m-light', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 0 });
    ctl.onMessage('zigbee2mqtt/gym-strip/set', '{"state":"ON"}', DAY_10H);
    expect(ctl.currentValue('z2m-light', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 100 });
    ctl.onMessage('zigbee2mqtt/gym-strip/set', '{"brightness":999}', DAY_10H);
    expect(ctl.controllerState('z2m-light')?.rejected).toBe(1);
  });

  it('Tasmota dimmer with PulseTime: the light goes off when the timer runs out, a hand-back disables it', () => {
    const { ctl, send, target } = setup();
    const msgs = encodePreset(
      target('tas-dimmer'),
      { kind: 'lighting', levelPct: 40 },
      { pulseTimeSeconds: 1860 },
    );
    expect(msgs[0]?.topic).toBe('cmnd/gym-dimmer/Backlog');
    send(msgs, DAY_10H);
    expect(ctl.currentValue('tas-dimmer', DAY_10H + 1859_000)).toEqual({ kind: 'lighting', levelPct: 40 });
    expect(ctl.currentValue('tas-dimmer', DAY_10H + 1860_000)).toEqual({ kind: 'lighting', levelPct: 0 });
    // Renewal restarts the timer; a hand-back sets PulseTime 0 and the light stays on.
    send(
      encodePreset(target('tas-dimmer'), { kind: 'lighting', levelPct: 60 }, { pulseTimeSeconds: 0 }),
      DAY_10H + 1900_000,
    );
    expect(ctl.currentValue('tas-dimmer', DAY_10H + 10 * 3_600_000)).toEqual({
      kind: 'lighting',
      levelPct: 60,
    });
  });

  it('Tasmota plain Dimmer / POWER commands and a relay on POWER2', () => {
    const { ctl, send, target } = setup();
    send(encodePreset(target('tas-dimmer'), { kind: 'lighting', levelPct: 25 }), DAY_10H);
    expect(ctl.currentValue('tas-dimmer', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 25 });
    send(encodePreset(target('tas-dimmer'), { kind: 'lighting', levelPct: 0 }), DAY_10H);
    expect(ctl.currentValue('tas-dimmer', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 0 });
    const relay = encodePreset(target('tas-relay'), { kind: 'lighting', levelPct: 30 });
    expect(relay[0]?.topic).toBe('cmnd/gym-relay/POWER2');
    send(relay, DAY_10H);
    expect(ctl.currentValue('tas-relay', DAY_10H)).toEqual({ kind: 'lighting', levelPct: 100 });
    ctl.onMessage('cmnd/gym-relay/POWER2', 'BLINK', DAY_10H);
    expect(ctl.controllerState('tas-relay')?.rejected).toBe(1);
  });

  it('Home Assistant: JSON light and climate command topics', () => {
    const { ctl, send, target } = setup();
    send(encodePreset(target('ha-light'), { kind: 'lighting', levelPct: 40 }), DAY_10H);
    const v = ctl.currentValue('ha-light', DAY_10H);
    expect(v?.kind === 'lighting' ? v.levelPct : -1).toBeCloseTo(40, 0);
    send(encodePreset(target('ha-ac'), { kind: 'hvac', mode: 'cool', setpointC: 27.5, fan: 'low' }), DAY_10H);
    expect(ctl.currentValue('ha-ac', DAY_10H)).toEqual({
      kind: 'hvac',
      mode: 'cool',
      setpointC: 27.5,
      fan: 'low',
    });
    send(
      encodePreset(target('ha-ac'), { kind: 'hvac', mode: 'auto', heatSetpointC: 19, coolSetpointC: 27 }),
      DAY_10H,
    );
    expect(ctl.currentValue('ha-ac', DAY_10H)).toMatchObject({
      kind: 'hvac',
      mode: 'auto',
      heatSetpointC: 19,
      coolSetpointC: 27,
    });
    send(encodePreset(target('ha-ac'), { kind: 'hvac', mode: 'off' }), DAY_10H);
    expect(ctl.currentValue('ha-ac', DAY_10H)).toEqual({ kind: 'hvac', mode: 'off' });
  });
});

describe('simulated controllers: state reports and overrides', () => {
  it('reports on change: the applied setpoint id acknowledges, the schedule reports null', () => {
    const { ctl, send, native } = setup();
    const first = ctl.reports(DAY_10H).filter((r) => r.deviceId === 'native-light');
    expect(first).toHaveLength(1);
    const parsed = StateReport.parse(JSON.parse(first[0]?.payload ?? '{}'));
    expect(parsed).toMatchObject({ appliedSetpointId: null, override: false, value: { levelPct: 100 } });
    expect(first[0]?.topic).toBe('qw/site/gym/native-light/state');
    expect(ctl.reports(DAY_10H + 60_000).filter((r) => r.deviceId === 'native-light')).toHaveLength(0);
    send(
      [native('native-light', { kind: 'lighting', levelPct: 55 }, DAY_10H, 30 * 60_000, 'sp-42')],
      DAY_10H,
    );
    const ack = ctl.reports(DAY_10H + 60_000).find((r) => r.deviceId === 'native-light');
    expect(StateReport.parse(JSON.parse(ack?.payload ?? '{}'))).toMatchObject({
      appliedSetpointId: 'sp-42',
      value: { levelPct: 55 },
    });
    // Presets report only where a state topic is configured.
    expect(ctl.reports(DAY_10H).some((r) => r.deviceId === 'tas-dimmer')).toBe(false);
  });

  it('residents override now and then, only while someone is present, the same under any control', () => {
    const run = (commanded: boolean) => {
      const { ctl, send, native, model } = setup({ overrides: { perDevicePerDay: 48, meanMinutes: 30 } });
      let s: CommunityState = { ...emptyState(DAY_10H), spaces: { 'site/gym': withPeople(1) } };
      const starts: number[] = [];
      let overridden = 0;
      for (let t = DAY_10H; t < DAY_10H + 6 * 3_600_000; t += model.stepMs) {
        if (commanded) send([native('native-light', { kind: 'lighting', levelPct: 20 }, t)], t);
        s = { ...s, tMs: t };
        const before = ctl.overrideCount('native-light');
        s = ctl.prepareStep(s);
        if (ctl.overrideCount('native-light') > before) starts.push(t);
        const report = ctl.reports(t).find((r) => r.deviceId === 'native-light');
        if (report && JSON.parse(report.payload).override === true) overridden++;
      }
      return { starts, overridden, lease: s.leases['native-light'] };
    };
    const a = run(false);
    const b = run(true);
    expect(a.starts.length).toBeGreaterThan(3);
    expect(b.starts).toEqual(a.starts);
    expect(a.overridden).toBeGreaterThan(0);
    const { ctl, model } = setup({ overrides: { perDevicePerDay: 48 } });
    let s = emptyState(DAY_10H);
    for (let t = DAY_10H; t < DAY_10H + 6 * 3_600_000; t += model.stepMs)
      s = ctl.prepareStep({ ...s, tMs: t });
    expect(ctl.stats().overrides).toBe(0);
  });

  it('an override wins over a setpoint while it lasts, then the setpoint in force applies again', () => {
    const { ctl, send, native, model } = setup({
      overrides: { perDevicePerDay: 96, meanMinutes: 5, lightLevelPct: 100 },
    });
    const t0 = NIGHT_22H;
    send([native('native-light', { kind: 'lighting', levelPct: 20 }, t0, 30 * 60_000)], t0);
    let s: CommunityState = { ...emptyState(t0), spaces: { 'site/gym': withPeople(2) } };
    let sawOverride = false;
    let sawLease = false;
    for (let t = t0; t < t0 + 29 * 60_000; t += model.stepMs) {
      s = ctl.prepareStep({ ...s, tMs: t });
      const lease = s.leases['native-light'];
      if (lease?.kind === 'lighting' && lease.levelPct === 100) sawOverride = true;
      if (lease?.kind === 'lighting' && lease.levelPct === 20) sawLease = true;
    }
    expect(sawOverride).toBe(true);
    expect(sawLease).toBe(true);
  });
});

function withPeople(count: number): SpaceState {
  return {
    occupancy: { count, lastSeenMs: 0 },
    indoorC: 25,
    rng: [1, 2, 3, 4],
    lightingW: 0,
    hvacW: 0,
    plugW: 0,
    lifeSafetyW: 0,
    illuminanceLux: 0,
    reportedOccupied: null,
  };
}

function emptyState(tMs: number): CommunityState {
  return {
    tMs,
    sites: {
      site: {
        weather: { anomalyC: 0, cloudLogit: 0 },
        now: { outdoorC: 30, ghiWm2: 0, cloudCover: 0.5, interiorC: 25 },
        rng: [1, 2, 3, 4],
      },
    },
    spaces: {},
    meters: {},
    leases: {},
  };
}
