import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort } from '../../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-http-port-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quietwatt run with the HTTP port taken', () => {
  it('stops with a message naming http.port, not a stack trace', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => {
        const a = blocker.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
    try {
      const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
        string,
        Record<string, unknown>
      >;
      config.mqtt = { ...config.mqtt, embeddedPort: await freePort() };
      config.storage = { ...config.storage, dir: join(dir, 'store') };
      config.http = { port };
      const file = join(dir, 'taken.yaml');
      writeFileSync(file, stringify(config));
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', file], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.once('exit', (code) => resolve({ code, stderr }));
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`QuietWatt did not start: cannot listen on 127.0.0.1:${port}`);
      expect(result.stderr).toContain('http.port');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
