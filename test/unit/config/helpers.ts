import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEFAULT_CONFIG = join(ROOT, 'config/default.yaml');
export const fixture = (name: string): string => join(ROOT, 'test/fixtures/config', name);
export const readText = (path: string): string => readFileSync(path, 'utf8');

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'qw-config-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The smallest valid config, as a plain object to mutate in tests. */
export function minimalConfig(): Record<string, unknown> & { sites: Record<string, unknown>[] } {
  return {
    schedules: [
      { id: 'hall-lighting', kind: 'lighting', defaultLevelPct: 100 },
      {
        id: 'hall-hvac',
        kind: 'hvac',
        blocks: [{ from: '08:00', to: '20:00', mode: 'cool', setpointC: 26 }],
      },
    ],
    sites: [
      {
        id: 'test-court',
        name: 'Test Court',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'hall',
            type: 'lobby',
            areaM2: 100,
            meters: [{ id: 'hall-lighting', topic: 'meters/test/hall/lighting', measures: 'lighting' }],
            sensors: [{ id: 'hall-occupancy', kind: 'occupancy', topic: 'sensors/test/hall/occupancy' }],
            devices: [{ id: 'hall-lights', kind: 'lighting', schedule: 'hall-lighting', ratedPowerW: 500 }],
          },
        ],
      },
    ],
  };
}
