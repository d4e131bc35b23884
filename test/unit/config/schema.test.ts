import { describe, expect, it } from 'vitest';
import { instanceIdentity } from '../../../src/config/instance-identity.js';
import { validateConfig } from '../../../src/config/parse.js';
import { minimalConfig } from './helpers.js';

type Cfg = ReturnType<typeof minimalConfig>;
// Tests reach into the plain object freely; the schema is what checks it.
// biome-ignore lint/suspicious/noExplicitAny: test data built by hand
const space = (cfg: Cfg, i = 0): any => (cfg.sites[0] as any).spaces[i];

function pathsOf(cfg: unknown): string[] {
  const r = validateConfig(cfg, 't.yaml');
  return r.ok ? [] : r.errors.map((e) => e.path);
}

function messageAt(cfg: unknown, path: string): string {
  const r = validateConfig(cfg, 't.yaml');
  const e = r.ok ? undefined : r.errors.find((x) => x.path === path);
  if (!e)
    throw new Error(`no error at ${path}: ${JSON.stringify(r.ok ? [] : r.errors.map((x) => x.message))}`);
  return e.message;
}

describe('QuietWattConfig schema', () => {
  it('accepts the minimal config and fills in defaults', () => {
    const r = validateConfig(minimalConfig(), 't.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.mqtt).toMatchObject({ url: 'embedded', protocolVersion: 5 });
    // Left unset, the client id is derived (quietwatt, or quietwatt-<instance.id>).
    expect(instanceIdentity(r.config).clientId).toBe('quietwatt');
    expect(r.config.storage.dir).toBe('var/quietwatt');
    expect(r.config.sites[0]?.spaces[0]?.meters[0]).toMatchObject({ format: 'json', value: 'cumulative' });
  });

  it('returns a deep-frozen config', () => {
    const r = validateConfig(minimalConfig(), 't.yaml');
    if (!r.ok) throw new Error('invalid');
    const meter = r.config.sites[0]?.spaces[0]?.meters[0];
    expect(Object.isFrozen(r.config)).toBe(true);
    expect(Object.isFrozen(r.config.sites)).toBe(true);
    expect(Object.isFrozen(meter)).toBe(true);
    expect(() => {
      (meter as { topic: string }).topic = 'other';
    }).toThrow(TypeError);
    expect(() => (r.config.sites as unknown[]).push({})).toThrow(TypeError);
  });

  it('rejects duplicate site ids and duplicate space ids within a site', () => {
    const cfg = minimalConfig();
    // A second site with the same id, whose own spaces repeat an id.
    cfg.sites.push({
      ...(cfg.sites[0] as object),
      spaces: [
        { id: 'a', type: 'gym', areaM2: 10 },
        { id: 'a', type: 'gym', areaM2: 10 },
      ],
    });
    expect(pathsOf(cfg)).toEqual(['sites[1].id', 'sites[1].spaces[1].id']);
  });

  it('rejects a meter, sensor or device id used twice anywhere in the config', () => {
    const cfg = minimalConfig();
    space(cfg).devices.push({ id: 'hall-occupancy', kind: 'lighting', ratedPowerW: 100 });
    expect(messageAt(cfg, 'sites[0].spaces[0].devices[1].id')).toContain(
      'already used at sites[0].spaces[0].sensors[0].id',
    );
  });

  it('rejects a meter topic used twice, but lets one multi-sensor topic serve several kinds', () => {
    const cfg = minimalConfig();
    space(cfg).sensors.push({ id: 'hall-lux', kind: 'illuminance', topic: 'sensors/test/hall/occupancy' });
    expect(pathsOf(cfg)).toEqual([]);
    space(cfg).sensors.push({ id: 'hall-occ-2', kind: 'occupancy', topic: 'sensors/test/hall/occupancy' });
    space(cfg).meters.push({ id: 'm2', topic: 'meters/test/hall/lighting', measures: 'total' });
    space(cfg).meters.push({ id: 'm3', topic: 'sensors/test/hall/occupancy', measures: 'total' });
    expect(pathsOf(cfg).sort()).toEqual(
      [
        'sites[0].spaces[0].meters[1].topic',
        'sites[0].spaces[0].meters[2].topic',
        'sites[0].spaces[0].sensors[2].topic',
      ].sort(),
    );
  });

  it('requires a device schedule to exist and be of the matching kind', () => {
    const cfg = minimalConfig();
    space(cfg).devices.push({ id: 'ac', kind: 'hvac', schedule: 'hall-lighting', ratedPowerW: 3000 });
    space(cfg).devices.push({ id: 'ac2', kind: 'hvac', schedule: 'nope', ratedPowerW: 3000 });
    space(cfg).devices.push({ id: 'ac3', kind: 'hvac', schedule: 'hall-hvac', ratedPowerW: 3000 });
    expect(messageAt(cfg, 'sites[0].spaces[0].devices[1].schedule')).toContain('not a lighting schedule');
    expect(messageAt(cfg, 'sites[0].spaces[0].devices[2].schedule')).toContain('known: hall-hvac');
    expect(pathsOf(cfg)).toHaveLength(2);
  });

  it.each(['emergency-lighting', 'co-ventilation', 'smoke-ventilation'])(
    'never lets a %s device be controlled by a schedule or command topic',
    (kind) => {
      const cfg = minimalConfig();
      space(cfg).devices.push({ id: 'ls', kind, ratedPowerW: 100, schedule: 'hall-lighting', topic: 'x/y' });
      expect(pathsOf(cfg).sort()).toEqual([
        'sites[0].spaces[0].devices[1].schedule',
        'sites[0].spaces[0].devices[1].topic',
      ]);
      space(cfg).devices[1] = { id: 'ls', kind, ratedPowerW: 100, stateTopic: 'x/state' };
      expect(pathsOf(cfg)).toEqual([]);
    },
  );

  it('checks schedule blocks: setpoints for cool/heat, non-empty blocks, overnight blocks allowed', () => {
    const cfg = minimalConfig();
    const schedules = cfg.schedules as Record<string, unknown>[];
    schedules[1] = {
      id: 'hall-hvac',
      kind: 'hvac',
      blocks: [
        { from: '22:00', to: '06:00', mode: 'heat', setpointC: 18 },
        { from: '08:00', to: '08:00', mode: 'fan' },
        { months: [6, 7], from: '08:00', to: '20:00', mode: 'cool' },
        { months: [13], from: '08:00', to: '25:00', mode: 'boost', setpointC: 40 },
      ],
    };
    expect(pathsOf(cfg).sort()).toEqual(
      [
        'schedules[1].blocks[1].to',
        'schedules[1].blocks[2].setpointC',
        'schedules[1].blocks[3].months[0]',
        'schedules[1].blocks[3].to',
        'schedules[1].blocks[3].mode',
        'schedules[1].blocks[3].setpointC',
      ].sort(),
    );
  });

  it('rejects an unknown schedule kind with the allowed kinds', () => {
    const cfg = minimalConfig();
    (cfg.schedules as Record<string, unknown>[])[0] = { id: 'x', kind: 'heating' };
    expect(messageAt(cfg, 'schedules[0].kind')).toContain(
      'expected one of "lighting", "hvac", got "heating"',
    );
  });

  it('checks device limits are ordered, and TLS is used only with TLS URLs', () => {
    const cfg = minimalConfig();
    space(cfg).devices[0].limits = { minLevelPct: 60, maxLevelPct: 40 };
    cfg.mqtt = { url: 'mqtt://10.0.0.5:1883', tls: { caFile: 'ca.pem' } };
    expect(pathsOf(cfg).sort()).toEqual(['mqtt.tls', 'sites[0].spaces[0].devices[0].limits.minLevelPct']);
    cfg.mqtt = { url: 'mqtts://10.0.0.5:8883', tls: { caFile: 'ca.pem' }, passwordEnv: 'QW_MQTT_PASSWORD' };
    space(cfg).devices[0].limits = {};
    expect(pathsOf(cfg)).toEqual([]);
  });

  it('takes an idle draw for hvac devices only, below their rating', () => {
    const cfg = minimalConfig();
    space(cfg).devices[0].idlePowerW = 50;
    expect(messageAt(cfg, 'sites[0].spaces[0].devices[0].idlePowerW')).toContain(
      'no idlePowerW: only hvac devices draw it, not lighting',
    );
    space(cfg).devices[0] = {
      id: 'hall-ac',
      kind: 'hvac',
      schedule: 'hall-hvac',
      ratedPowerW: 3000,
      idlePowerW: 3000,
    };
    expect(messageAt(cfg, 'sites[0].spaces[0].devices[0].idlePowerW')).toContain(
      "an idlePowerW below the device's ratedPowerW (3000), got 3000",
    );
    space(cfg).devices[0].idlePowerW = 240;
    expect(pathsOf(cfg)).toEqual([]);
  });

  it('takes credentials only as environment variable names', () => {
    const cfg = minimalConfig();
    cfg.mqtt = { usernameEnv: 'not a name!' };
    expect(messageAt(cfg, 'mqtt.usernameEnv')).toContain('an environment variable name');
  });

  it('takes covering filters only with a wildcard, each alone at its level', () => {
    const cfg = minimalConfig();
    cfg.mqtt = { coveringFilters: ['site-a/meters/+', 'site-b/#', 'site-c/m1', 'site-d/m+', 'site-e/#/x'] };
    expect(pathsOf(cfg)).toEqual([
      'mqtt.coveringFilters[2]',
      'mqtt.coveringFilters[3]',
      'mqtt.coveringFilters[4]',
    ]);
    expect(messageAt(cfg, 'mqtt.coveringFilters[2]')).toContain('a filter with a wildcard');
    expect(messageAt(cfg, 'mqtt.coveringFilters[3]')).toContain('+ alone at a level');
    cfg.mqtt = { coveringFilters: ['site-a/meters/+', '#'] };
    expect(pathsOf(cfg)).toEqual([]);
  });

  it('rejects an unknown time zone, a bad id and a bad url with what was expected', () => {
    const cfg = minimalConfig();
    (cfg.sites[0] as Record<string, unknown>).timezone = 'Asia/Beijing';
    space(cfg).id = 'Hall 1';
    cfg.mqtt = { url: 'http://broker' };
    expect(messageAt(cfg, 'sites[0].timezone')).toContain(
      'expected an IANA time zone such as Asia/Shanghai, got "Asia/Beijing"',
    );
    expect(messageAt(cfg, 'sites[0].spaces[0].id')).toContain('expected an id of lowercase letters');
    expect(messageAt(cfg, 'mqtt.url')).toContain('expected "embedded" or a broker URL');
  });

  it('requires at least one site', () => {
    const cfg = minimalConfig();
    cfg.sites = [];
    expect(messageAt(cfg, 'sites')).toContain('expected a list of at least 1 item(s), got []');
  });
});
