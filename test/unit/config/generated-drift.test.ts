import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_CODES } from '../../../src/config/errors.js';
import { generatedConfigFiles } from '../../../src/config/generate.js';
import { ROOT } from './helpers.js';

describe('files generated from the config schema', () => {
  for (const { path, content } of generatedConfigFiles()) {
    it(`${path} matches the schema`, () => {
      const onDisk = readFileSync(join(ROOT, path), 'utf8');
      if (onDisk !== content) {
        throw new Error(
          `${path} is stale: the config schema changed. Run \`npm run gen:config\` and commit the result.`,
        );
      }
      expect(onDisk).toBe(content);
    });
  }

  it('the reference documents every field path, error code and section of the demo config', () => {
    const doc = generatedConfigFiles().find((f) => f.path.endsWith('.md'))?.content ?? '';
    for (const code of Object.keys(CONFIG_ERROR_CODES)) expect(doc).toContain(`\`${code}\``);
    for (const path of [
      'mqtt.url',
      'mqtt.passwordEnv',
      'clock.speed',
      'schedules[].blocks[].setpointC',
      'sites[].timezone',
      'sites[].spaces[].type',
      'sites[].spaces[].meters[].topic',
      'sites[].spaces[].sensors[].kind',
      'sites[].spaces[].devices[].limits.minLevelPct',
    ]) {
      expect(doc).toContain(`| \`${path}\` |`);
    }
  });

  it('the JSON Schema marks only fields without defaults as required', () => {
    const schema = JSON.parse(generatedConfigFiles()[0]?.content ?? '{}') as { required?: string[] };
    expect(schema.required).toEqual(['sites']);
  });
});
