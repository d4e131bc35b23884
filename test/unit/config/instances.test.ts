import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { configCheckInstances } from '../../../src/cli/commands/config-check.js';
import { instanceIdentity } from '../../../src/config/instance-identity.js';
import { checkInstances, type InstanceFile } from '../../../src/config/instances-check.js';
import { validateConfig } from '../../../src/config/parse.js';
import { minimalConfig, tempDir } from './helpers.js';

/** The minimal config as instance `id` serving site `site`, with topics and ids of its own. */
function instanceRaw(id: string | undefined, site: string): Record<string, unknown> {
  const raw = minimalConfig();
  if (id !== undefined) raw.instance = { id };
  const s = raw.sites[0] as {
    id: string;
    spaces: {
      meters: { id: string; topic: string }[];
      sensors: { id: string; topic: string }[];
      devices: { id: string }[];
    }[];
  };
  s.id = site;
  for (const space of s.spaces) {
    for (const m of space.meters) {
      m.id = `${site}-${m.id}`;
      m.topic = `meters/${site}/hall/lighting`;
    }
    for (const x of space.sensors) {
      x.id = `${site}-${x.id}`;
      x.topic = `sensors/${site}/hall/occupancy`;
    }
    for (const d of space.devices) d.id = `${site}-${d.id}`;
  }
  return raw;
}

function valid(raw: Record<string, unknown>, file: string): InstanceFile {
  const result = validateConfig(raw, file);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return { file, config: result.config };
}

describe('instance section', () => {
  it('keeps a single-instance config as it was: client id quietwatt, status <prefix>/status', () => {
    const { config } = valid(minimalConfig(), 'one.yaml');
    expect(config.instance.id).toBeUndefined();
    expect(instanceIdentity(config)).toEqual({
      id: undefined,
      clientId: 'quietwatt',
      statusTopic: 'quietwatt/status',
    });
  });

  it('derives the client id and status topic from instance.id; an explicit mqtt.clientId wins', () => {
    const a = valid(instanceRaw('shard-a', 'court-a'), 'a.yaml').config;
    expect(instanceIdentity(a)).toEqual({
      id: 'shard-a',
      clientId: 'quietwatt-shard-a',
      statusTopic: 'quietwatt/status/shard-a',
    });
    const b = valid({ ...instanceRaw('shard-b', 'court-b'), mqtt: { clientId: 'qw-b' } }, 'b.yaml').config;
    expect(instanceIdentity(b).clientId).toBe('qw-b');
  });

  it('refuses an instance id outside the id alphabet or too long, naming the field and the value', () => {
    const bad = validateConfig({ ...minimalConfig(), instance: { id: 'Shard A' } }, 'a.yaml');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.message).join('\n')).toMatch(/a\.yaml: instance\.id: .*"Shard A"/);
    const long = validateConfig({ ...minimalConfig(), instance: { id: 'x'.repeat(41) } }, 'a.yaml');
    expect(long.ok).toBe(false);
    if (long.ok) return;
    expect(long.errors[0]?.path).toBe('instance.id');
    const unknown = validateConfig({ ...minimalConfig(), instance: { sites: ['test-court'] } }, 'a.yaml');
    expect(unknown.ok).toBe(false);
  });
});

describe('instances checked together', () => {
  it('accepts instances with their own ids and disjoint sites', () => {
    const files = [
      valid(instanceRaw('a', 'court-a'), 'a.yaml'),
      valid(instanceRaw('b', 'court-b'), 'b.yaml'),
    ];
    expect(checkInstances(files)).toEqual([]);
  });

  it('refuses a site served by two instances, naming both files, the field and the site', () => {
    const errors = checkInstances([
      valid(instanceRaw('a', 'court-a'), 'a.yaml'),
      valid({ ...instanceRaw('b', 'court-a'), mqtt: {} }, 'b.yaml'),
    ]);
    const messages = errors.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^b\.yaml: sites\[0\]\.id: site "court-a" is also claimed by a\.yaml \(sites\[0\]\.id\)/,
      ),
    );
    // The same site brings the same meter topic and ids along: also refused.
    expect(messages).toContainEqual(expect.stringMatching(/meter topic "meters\/court-a\/hall\/lighting"/));
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^b\.yaml: sites\[0\]\.spaces\[0\]\.meters\[0\]\.id: meter, sensor or device id "court-a-hall-lighting" is also claimed by a\.yaml/,
      ),
    );
    expect(errors.every((e) => e.code === 'QW_CONFIG_INVALID' && e.file === 'b.yaml')).toBe(true);
  });

  it('refuses a meter, sensor or device id used in two instances, so that every site can move', () => {
    const b = instanceRaw('b', 'court-b') as { sites: { spaces: { sensors: { id: string }[] }[] }[] };
    const sensor = b.sites[0]?.spaces[0]?.sensors[0];
    if (!sensor) throw new Error('the minimal config has a sensor');
    sensor.id = 'court-a-hall-lighting';
    const messages = checkInstances([
      valid(instanceRaw('a', 'court-a'), 'a.yaml'),
      valid(b as Record<string, unknown>, 'b.yaml'),
    ]).map((e) => e.message);
    expect(messages).toEqual([
      expect.stringMatching(
        /^b\.yaml: sites\[0\]\.spaces\[0\]\.sensors\[0\]\.id: meter, sensor or device id "court-a-hall-lighting" is also claimed by a\.yaml \(sites\[0\]\.spaces\[0\]\.meters\[0\]\.id\)/,
      ),
    ]);
  });

  it('refuses two instances with one client id or one status topic', () => {
    const none = checkInstances([
      valid(instanceRaw(undefined, 'court-a'), 'a.yaml'),
      valid(instanceRaw(undefined, 'court-b'), 'b.yaml'),
    ]).map((e) => e.message);
    expect(none).toContainEqual(
      expect.stringMatching(/^b\.yaml: instance\.id: MQTT client id "quietwatt" is also claimed by a\.yaml/),
    );
    expect(none).toContainEqual(expect.stringMatching(/status topic "quietwatt\/status"/));
    const sameClient = checkInstances([
      valid({ ...instanceRaw('a', 'court-a'), mqtt: { clientId: 'qw' } }, 'a.yaml'),
      valid({ ...instanceRaw('b', 'court-b'), mqtt: { clientId: 'qw' } }, 'b.yaml'),
    ]).map((e) => e.message);
    expect(sameClient).toEqual([
      expect.stringMatching(
        /^b\.yaml: mqtt\.clientId: MQTT client id "qw" is also claimed by a\.yaml \(mqtt\.clientId\)/,
      ),
    ]);
  });

  it('config check with several files: 0 when they fit side by side, 1 with the conflicts', async () => {
    const { dir, cleanup } = tempDir();
    afterAll(cleanup);
    const write = (name: string, raw: Record<string, unknown>) => {
      const file = join(dir, name);
      writeFileSync(file, stringify(raw));
      return file;
    };
    const a = write('a.yaml', instanceRaw('a', 'court-a'));
    const b = write('b.yaml', instanceRaw('b', 'court-b'));
    const c = write('c.yaml', instanceRaw('c', 'court-a'));
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await configCheckInstances([a, b], out)).toBe(0);
    expect(lines.at(-1)).toBe('instances: valid: 2 instances, 2 site(s), each served by one instance');
    lines.length = 0;
    expect(await configCheckInstances([a, b, c], out)).toBe(1);
    expect(lines.join('\n')).toContain(`${c}: sites[0].id: site "court-a" is also claimed by ${a}`);
  });
});
