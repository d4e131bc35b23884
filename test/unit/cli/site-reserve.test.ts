import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { site } from '../../../src/cli/commands/site.js';
import type { CommandOutput } from '../../../src/cli/output.js';
import { freePort } from '../../helpers/free-port.js';
import { minimalConfig, tempDir } from '../config/helpers.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

function capture(): CommandOutput & { errors: string[] } {
  const errors: string[] = [];
  return { errors, log: () => undefined, error: (l) => errors.push(l) };
}

/** A config file listing the minimal config's site, on `url`. */
function configFile(name: string, url: string): string {
  const raw = minimalConfig();
  raw.mqtt = { url };
  raw.storage = { dir: join(dir, name) };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  return file;
}

describe('quietwatt site reserve refuses, writing nothing', () => {
  it('without --site, or with a site the config does not list', async () => {
    const file = configFile('unlisted', 'mqtt://127.0.0.1:1');
    expect(await site(['reserve', '--config', file], capture())).toBe(2);
    const c = capture();
    expect(await site(['reserve', '--site', 'elsewhere', '--config', file], c)).toBe(1);
    expect(c.errors.join('\n')).toContain('does not list site elsewhere');
  });

  it('on the embedded broker, where no other instance could take the site over', async () => {
    const c = capture();
    expect(
      await site(['reserve', '--site', 'test-court', '--config', configFile('embedded', 'embedded')], c),
    ).toBe(1);
    expect(c.errors.join('\n')).toMatch(/mqtt.url is embedded/);
  });

  it('when the broker cannot be reached, naming it without its password', async () => {
    const port = await freePort();
    const c = capture();
    const file = configFile('unreachable', `mqtt://ops:secret@127.0.0.1:${port}`);
    expect(await site(['reserve', '--site', 'test-court', '--config', file], c)).toBe(1);
    const text = c.errors.join('\n');
    expect(text).toContain(`127.0.0.1:${port} not reachable`);
    expect(text).not.toContain('secret');
    expect(existsSync(join(dir, 'unreachable'))).toBe(false); // no store opened
  });
});
