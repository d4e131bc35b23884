import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import { configCheck } from '../../../src/cli/commands/config-check.js';
import { isLifeSafetyKind } from '../../../src/domain/devices/kinds.js';
import { DEFAULT_CONFIG, fixture, ROOT } from './helpers.js';

function load() {
  const result = loadConfigFile(DEFAULT_CONFIG);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.config;
}

describe('config/default.yaml (the demo community)', () => {
  it('is valid and runs on embedded defaults with the simulator on accelerated time', () => {
    const config = load();
    expect(config.mqtt.url).toBe('embedded');
    expect(config.clock).toMatchObject({ source: 'accelerated', speed: 60 });
    expect(config.simulator.enabled).toBe(true);
    expect(config.storage.dir).toBe('var/quietwatt');
  });

  it('has one Shanghai site with spaces of every main type, each metered, sensed and controlled', () => {
    const config = load();
    expect(config.sites).toHaveLength(1);
    const site = config.sites[0];
    expect(site?.timezone).toBe('Asia/Shanghai');
    expect(site?.outdoorTemperatureTopic).toBeDefined();
    const types = new Set(site?.spaces.map((s) => s.type));
    for (const t of ['lobby', 'corridor', 'elevator-hall', 'garage', 'gym', 'clubhouse'] as const) {
      expect(types.has(t), t).toBe(true);
    }
    for (const space of site?.spaces ?? []) {
      expect(space.meters.length, space.id).toBeGreaterThan(0);
      expect(
        space.sensors.some((s) => s.kind === 'occupancy'),
        space.id,
      ).toBe(true);
      expect(
        space.devices.some((d) => d.kind === 'lighting' && d.schedule !== undefined),
        space.id,
      ).toBe(true);
      const hasHvac = space.devices.some((d) => d.kind === 'hvac');
      expect(
        space.meters.some((m) => m.measures === 'hvac'),
        space.id,
      ).toBe(hasHvac);
      if (hasHvac)
        expect(
          space.sensors.some((s) => s.kind === 'indoor-temperature'),
          space.id,
        ).toBe(true);
    }
  });

  it('exercises every meter payload format and both cumulative and power meters', () => {
    const meters = load().sites.flatMap((s) => s.spaces.flatMap((sp) => sp.meters));
    const formats = new Set(meters.map((m) => m.format));
    for (const f of ['json', 'tasmota', 'shelly-gen2', 'zigbee2mqtt'] as const)
      expect(formats.has(f), f).toBe(true);
    expect(meters.some((m) => m.value === 'power')).toBe(true);
    expect(meters.some((m) => m.value === 'cumulative')).toBe(true);
  });

  it('lists life-safety equipment in the garage without a schedule or command topic', () => {
    const garage = load().sites[0]?.spaces.find((s) => s.type === 'garage');
    const safety = garage?.devices.filter((d) => isLifeSafetyKind(d.kind)) ?? [];
    expect(safety.map((d) => d.kind).sort()).toEqual(['co-ventilation', 'emergency-lighting']);
    for (const d of safety) {
      expect(d.schedule).toBeUndefined();
      expect(d.topic).toBeUndefined();
    }
  });

  it('runs public-building HVAC setpoints: cooling at 24-26 °C, heating at about 20 °C', () => {
    for (const s of load().schedules) {
      if (s.kind !== 'hvac') continue;
      for (const b of s.blocks) {
        if (b.mode === 'cool') expect(b.setpointC).toBeGreaterThanOrEqual(24);
        if (b.mode === 'cool') expect(b.setpointC).toBeLessThanOrEqual(26);
        if (b.mode === 'heat') expect(b.setpointC).toBeLessThanOrEqual(20);
      }
    }
  });
});

describe('configCheck (quietwatt config check FILE)', () => {
  it('returns 0 and prints a one-line summary for a valid file', async () => {
    const log: string[] = [];
    const error: string[] = [];
    const code = await configCheck(DEFAULT_CONFIG, { log: (l) => log.push(l), error: (l) => error.push(l) });
    expect(code).toBe(0);
    expect(error).toEqual([]);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/valid: 1 site\(s\), 7 spaces, \d+ meters, \d+ sensors, \d+ devices/);
  });

  it('returns 1 and prints every error on its own line for an invalid file', async () => {
    const log: string[] = [];
    const error: string[] = [];
    const code = await configCheck(fixture('broken.yaml'), {
      log: (l) => log.push(l),
      error: (l) => error.push(l),
    });
    expect(code).toBe(1);
    expect(log).toEqual([]);
    expect(error.length).toBeGreaterThanOrEqual(10);
    for (const line of error) expect(line).not.toContain('\n');
    expect(error.at(-1)).toMatch(/invalid: \d+ error\(s\)$/);
  });

  it('returns 1 for a file that does not exist', async () => {
    const error: string[] = [];
    const code = await configCheck(fixture('no-such-file.yaml'), {
      log: () => {},
      error: (l) => error.push(l),
    });
    expect(code).toBe(1);
    expect(error[0]).toContain('no such file');
  });
});

describe('config/examples', () => {
  const dir = join(ROOT, 'config/examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('has examples', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s is valid', (name) => {
    const result = loadConfigFile(join(dir, name));
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
  });
});
