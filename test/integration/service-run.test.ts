import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LogLine {
  msg?: string;
  spaces?: Record<string, { readings: number; rejected: number }>;
}

/** Runs the real command on a copy of the demo config, as a user would, and stops it with SIGINT. */
describe('quietwatt run on the demo config', () => {
  it('ingests readings from every demo space into SQLite and stops cleanly on SIGINT', async () => {
    const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    config.mqtt = { ...config.mqtt, embeddedPort: await freePort() };
    config.storage = { ...config.storage, dir: join(dir, 'storage') };
    config.http = { port: 0 };
    config.clock = { ...config.clock, speed: 240 };
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, stringify(config));
    const spaceIds = (config.sites as unknown as { spaces: { id: string }[] }[]).flatMap((s) =>
      s.spaces.map((sp) => sp.id),
    );

    const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', configFile], {
      env: { ...process.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const heardEverySpace = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no summary covering every space:\n${stdout}\n${stderr}`)),
        40_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Only complete lines: a chunk may end inside one.
        for (const line of stdout.split('\n').slice(0, -1)) {
          if (!line.startsWith('{')) continue;
          const parsed = JSON.parse(line) as LogLine;
          // The banner comes once every component has started, which may be after the first summaries;
          // its lines are separate writes, so wait for its last (the demo's replay floods stdout).
          const heard = parsed.spaces && spaceIds.every((id) => (parsed.spaces?.[id]?.readings ?? 0) > 0);
          if (heard && stdout.includes('Press Ctrl-C to stop.')) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
    });
    await heardEverySpace;
    expect(stdout).toContain('QuietWatt is running');
    expect(stdout).toMatch(/broker\s+embedded, mqtt:\/\/127\.0\.0\.1:\d+/);

    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.kill('SIGINT');
    });
    // On failure, say how it ended and what it printed last.
    expect(exit, `${stdout.split('\n').slice(-8).join('\n')}\n${stderr}`).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('stopped cleanly');
    expect(stderr).toBe('');

    const db = new Database(join(dir, 'storage', 'quietwatt.db'), { readonly: true });
    const rows = db
      .prepare(
        'SELECT space_id AS spaceId, COUNT(*) AS n FROM intervals WHERE minutes = 15 GROUP BY space_id',
      )
      .all() as { spaceId: string; n: number }[];
    db.close();
    const bySpace = new Map(rows.map((r) => [r.spaceId, r.n]));
    for (const id of spaceIds) expect(bySpace.get(id) ?? 0, `interval rows for ${id}`).toBeGreaterThan(0);
  });
});

describe('quietwatt run refuses to start', () => {
  const runCli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['src/cli/bin.js', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('with a clear message, not a stack trace, when the embedded broker port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => {
        const a = blocker.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
    const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    config.mqtt = { ...config.mqtt, embeddedPort: port };
    config.storage = { ...config.storage, dir: join(dir, 'taken') };
    const file = join(dir, 'taken.yaml');
    writeFileSync(file, stringify(config));
    const result = await runCli(['run', '--config', file]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port 127.0.0.1:${port} is already in use`);
    expect(result.stderr).toContain('mqtt.embeddedPort');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('on an invalid config, listing every error', async () => {
    const result = await runCli(['run', '--config', 'test/fixtures/config/broken.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sites\[0\]\.spaces\[0\]\.meters\[1\]\.topic/);
    expect(result.stderr).toContain('did not start');
  });
});
