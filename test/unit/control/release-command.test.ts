import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerUrlOf } from '../../../src/cli/commands/broker-command.js';
import { release } from '../../../src/cli/commands/release.js';
import type { CommandOutput } from '../../../src/cli/output.js';
import { testConfig } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function output(): CommandOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (l) => lines.push(l), error: (l) => lines.push(`ERROR ${l}`) };
}

describe('quietwatt release', () => {
  it('prints its usage', async () => {
    const out = output();
    expect(await release(['--help'], out)).toBe(0);
    expect(out.lines.join('\n')).toMatch(/Usage: quietwatt release \[--config FILE\] \[--resume\]/);
  });

  it('refuses unknown options and invalid config files', async () => {
    const out = output();
    expect(await release(['--bogus'], out)).toBe(2);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'sites: 3\n');
    const out2 = output();
    expect(await release(['--config', bad], out2)).toBe(1);
    expect(out2.lines.at(-1)).toMatch(/release not sent: .*bad\.yaml is not valid/);
  });

  it('uses the embedded broker port of the running service', () => {
    const config = testConfig();
    expect(brokerUrlOf(config)).toBe(`mqtt://127.0.0.1:${config.mqtt.embeddedPort}`);
    expect(brokerUrlOf({ ...config, mqtt: { ...config.mqtt, url: 'mqtts://broker:8883' } })).toBe(
      'mqtts://broker:8883',
    );
  });
});
