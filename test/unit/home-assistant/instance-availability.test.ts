import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import { discoveryPlan } from '../../../src/domain/home-assistant/discovery.js';

const sites = () => {
  const r = loadConfigFile('config/default.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.config.sites;
};

describe('Home Assistant availability of one instance among several', () => {
  it("points every entity at the instance's own status topic, and at <prefix>/status by default", () => {
    const base = {
      prefix: 'quietwatt',
      discoveryPrefix: 'homeassistant',
      commandsEnabled: true,
      sites: sites(),
    };
    const own = discoveryPlan({ ...base, statusTopic: 'quietwatt/status/shard-a' }).entries;
    expect(own.length).toBeGreaterThan(0);
    for (const e of own) expect(e.config.availability_topic, e.topic).toBe('quietwatt/status/shard-a');
    for (const e of discoveryPlan(base).entries) expect(e.config.availability_topic).toBe('quietwatt/status');
  });
});
