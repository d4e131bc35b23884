import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import { discoveryPlan } from '../../../src/domain/home-assistant/discovery.js';
import { spaceStatePayload } from '../../../src/domain/home-assistant/states.js';
import { HA_ISSUER, haCommand } from '../../../src/services/integrations/home-assistant/ha-commands.js';
import {
  HA_DISCOVERY_SCHEMAS,
  HaSensorConfig,
  isEnergyDashboardConsumption,
  parseDiscoveryTopic,
} from '../../helpers/home-assistant-discovery-schema.js';

function demo(): QuietWattConfig {
  const r = loadConfigFile('config/default.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.config;
}

const plan = (commandsEnabled: boolean) =>
  discoveryPlan({
    prefix: 'quietwatt',
    discoveryPrefix: 'homeassistant',
    commandsEnabled,
    sites: demo().sites,
  });

describe('Home Assistant discovery plan', () => {
  for (const commandsEnabled of [true, false]) {
    it(`matches the documented schema of each component (commands ${commandsEnabled ? 'on' : 'off'})`, () => {
      const { entries } = plan(commandsEnabled);
      for (const e of entries) {
        const parsed = parseDiscoveryTopic('homeassistant', e.topic);
        expect(parsed, e.topic).toBeDefined();
        expect(parsed?.component).toBe(e.component);
        const result = HA_DISCOVERY_SCHEMAS[e.component].safeParse(e.config);
        expect(result.success, `${e.topic}: ${result.error?.message}`).toBe(true);
      }
      const ids = entries.map((e) => e.config.unique_id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  }

  it('the consumption sensor suits the Energy dashboard; savings are a total that may fall', () => {
    const { entries } = plan(false);
    const energy = entries.find(
      (e) => e.topic === 'homeassistant/sensor/quietwatt/maple-court_lobby_energy/config',
    );
    const saved = entries.find(
      (e) => e.topic === 'homeassistant/sensor/quietwatt/maple-court_lobby_energy_saved/config',
    );
    const e = HaSensorConfig.parse(energy?.config);
    expect(isEnergyDashboardConsumption(e)).toBe(true);
    expect(e).toMatchObject({ state_class: 'total_increasing', unit_of_measurement: 'kWh' });
    expect(HaSensorConfig.parse(saved?.config)).toMatchObject({
      state_class: 'total',
      device_class: 'energy',
    });
  });

  it('the schema has teeth: undocumented keys, abbreviations and missing required keys fail', () => {
    const energy = plan(false).entries.find((e) => e.topic.endsWith('maple-court_lobby_energy/config'));
    const config = { ...energy?.config };
    expect(HaSensorConfig.safeParse(config).success).toBe(true);
    expect(HaSensorConfig.safeParse({ ...config, stat_t: 'x' }).success).toBe(false);
    expect(HaSensorConfig.safeParse({ ...config, energy_unit: 'kWh' }).success).toBe(false);
    const { state_topic: _t, ...withoutState } = config;
    expect(HaSensorConfig.safeParse(withoutState).success).toBe(false);
    expect(HaSensorConfig.safeParse({ ...config, state_class: 'measurement' }).success).toBe(false);
  });

  it('offers the select and the buttons only with commands enabled, and clears the other variant', () => {
    const on = plan(true);
    const off = plan(false);
    const components = (p: typeof on) => new Set(p.entries.map((e) => e.component));
    expect(components(on).has('select')).toBe(true);
    expect(components(on).has('button')).toBe(true);
    expect(components(off).has('select')).toBe(false);
    expect(components(off).has('button')).toBe(false);
    // Each variant clears exactly what the other publishes and it does not.
    const onTopics = new Set(on.entries.map((e) => e.topic));
    const offTopics = new Set(off.entries.map((e) => e.topic));
    expect(new Set(off.unused)).toEqual(new Set([...onTopics].filter((t) => !offTopics.has(t))));
    expect(new Set(on.unused)).toEqual(new Set([...offTopics].filter((t) => !onTopics.has(t))));
  });

  it('has setpoint sensors for lighting and HVAC devices only, never for life-safety kinds', () => {
    const topics = plan(false).entries.map((e) => e.topic);
    expect(topics).toContain(
      'homeassistant/sensor/quietwatt/maple-court_lobby_lobby-lights_level_pct/config',
    );
    expect(topics).toContain('homeassistant/sensor/quietwatt/maple-court_lobby_lobby-ac_cool_c/config');
    expect(topics).toContain('homeassistant/sensor/quietwatt/maple-court_lobby_lobby-ac_heat_c/config');
    expect(topics.filter((t) => t.includes('emergency') || t.includes('co-fans'))).toEqual([]);
  });

  it('ties every entity to the service status topic', () => {
    for (const e of plan(true).entries)
      expect(e.config).toMatchObject({
        availability_topic: 'quietwatt/status',
        payload_available: 'online',
        payload_not_available: 'offline',
      });
  });
});

describe('Home Assistant state payload', () => {
  it('gives null (unknown in Home Assistant) where there is no figure or no setpoint', () => {
    const json = JSON.parse(
      spaceStatePayload({
        energyKWh: 12.34567,
        savedKWh: undefined,
        mode: 'active',
        alerts: ['meter m1 silent for 45 min'],
        devices: [
          { id: 'l1', kind: 'lighting', value: { kind: 'lighting', levelPct: 40 } },
          {
            id: 'ac',
            kind: 'hvac',
            value: { kind: 'hvac', mode: 'auto', heatSetpointC: 20, coolSetpointC: 26 },
          },
          { id: 'ac2', kind: 'hvac', value: { kind: 'hvac', mode: 'cool', setpointC: 27 } },
          { id: 'l2', kind: 'lighting' },
        ],
      }),
    );
    expect(json).toEqual({
      energy_kwh: 12.346,
      saved_kwh: null,
      mode: 'active',
      alerts: ['meter m1 silent for 45 min'],
      setpoints: {
        l1: { level_pct: 40 },
        ac: { heat_c: 20, cool_c: 26 },
        ac2: { heat_c: null, cool_c: 27 },
        l2: { level_pct: null },
      },
    });
  });
});

describe('Home Assistant commands', () => {
  const at = Date.parse('2026-07-06T02:00:00Z');
  it('a mode from the select is a set-mode by home-assistant', () => {
    expect(haCommand('qw', 'qw/ha/command/mode/maple-court/lobby', 'shadow', 'ha-1', at)).toEqual({
      ok: true,
      command: {
        id: 'ha-1',
        issuer: HA_ISSUER,
        issuedAt: '2026-07-06T02:00:00.000Z',
        action: 'set-mode',
        target: { siteId: 'maple-court', spaceId: 'lobby' },
        mode: 'shadow',
      },
    });
  });

  it('a button press is a release or resume of the whole service', () => {
    const r = haCommand('qw', 'qw/ha/command/release', 'PRESS', 'ha-2', at);
    expect(r.ok && r.command).toMatchObject({ action: 'release', target: {} });
    const s = haCommand('qw', 'qw/ha/command/resume', 'PRESS', 'ha-3', at);
    expect(s.ok && s.command).toMatchObject({ action: 'resume' });
  });

  it("takes an instance's own button, leaves another instance's, refuses a single instance's", () => {
    const own = haCommand('qw', 'qw/ha/command/release/east', 'PRESS', 'x', at, 'east');
    expect(own.ok && own.command).toMatchObject({ action: 'release', target: {} });
    expect(haCommand('qw', 'qw/ha/command/release/west', 'PRESS', 'x', at, 'east')).toEqual({
      ok: false,
      elsewhere: "instance west's button",
    });
    expect(haCommand('qw', 'qw/ha/command/resume/east', 'PRESS', 'x', at)).toMatchObject({ ok: false });
    expect(haCommand('qw', 'qw/ha/command/release', 'PRESS', 'x', at, 'east')).toMatchObject({
      ok: false,
      error: expect.stringContaining("single instance's button"),
    });
    expect(haCommand('qw', 'qw/ha/command/release/east/x', 'PRESS', 'x', at, 'east').ok).toBe(false);
  });

  it('refuses other payloads and topics', () => {
    expect(haCommand('qw', 'qw/ha/command/mode/maple-court/lobby', 'auto', 'x', at).ok).toBe(false);
    expect(haCommand('qw', 'qw/ha/command/release', 'ON', 'x', at).ok).toBe(false);
    expect(haCommand('qw', 'qw/ha/command/reboot', 'PRESS', 'x', at).ok).toBe(false);
    expect(haCommand('qw', 'qw/command/release', 'PRESS', 'x', at).ok).toBe(false);
  });
});
