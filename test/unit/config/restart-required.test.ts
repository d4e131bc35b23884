import { describe, expect, it } from 'vitest';
import {
  LIVE_RELOAD,
  RESTART_REQUIRED,
  restartRequiredChanges,
} from '../../../src/config/restart-required.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { testConfig } from '../forecast-service/fixture.js';

const classified = new Set([...RESTART_REQUIRED, ...LIVE_RELOAD].map((e) => e.path));

describe('restart-required fields', () => {
  it('classifies every section of the config as taken live or needing a restart', () => {
    const parsed = testConfig() as unknown as Record<string, unknown>;
    const unclassified: string[] = [];
    for (const key of Object.keys(QuietWattConfig.shape)) {
      if (classified.has(key)) continue;
      const section = parsed[key];
      const subKeys = section && typeof section === 'object' ? Object.keys(section) : [];
      if (subKeys.length === 0) unclassified.push(key);
      for (const sub of subKeys) if (!classified.has(`${key}.${sub}`)) unclassified.push(`${key}.${sub}`);
    }
    expect(unclassified).toEqual([]);
    const both = RESTART_REQUIRED.filter((r) => LIVE_RELOAD.some((l) => l.path === r.path));
    expect(both).toEqual([]);
    // A restart-only field inside a live section still refuses the reload.
    const moved = testConfig({ storage: { dir: '/srv/qw' } });
    expect(restartRequiredChanges(testConfig(), moved).map((c) => c.path)).toEqual(['storage.dir']);
  });

  it('names each changed restart-only field with its reason, and nothing for live fields', () => {
    const running = testConfig();
    const next = testConfig({
      mqtt: { url: 'mqtt://broker.example:1883', topicPrefix: 'qw2' },
      storage: { dir: '/srv/qw', rawRetentionDays: 30 },
      http: { port: 9090 },
      tariffs: { defaultTariff: 'shanghai-tou-example' },
      forecast: { extraHolidays: ['2026-05-06'] },
    });
    const changes = restartRequiredChanges(running, next);
    expect(changes.map((c) => c.path)).toEqual(['mqtt.url', 'mqtt.topicPrefix', 'storage.dir', 'http.port']);
    expect(changes[0]).toMatchObject({ under: 'mqtt' });
    expect(changes[0]?.reason).toMatch(/broker connection/);
    expect(changes.find((c) => c.path === 'storage.dir')?.reason).toMatch(
      /SQLite database is opened at start/,
    );
  });

  it('finds no change between equal configs, nor for a list edited only in live sections', () => {
    const running = testConfig();
    expect(restartRequiredChanges(running, testConfig())).toEqual([]);
    const edited = testConfig({ schedules: [], control: { defaultMode: 'active' } });
    expect(restartRequiredChanges(running, edited)).toEqual([]);
  });
});
