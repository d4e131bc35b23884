import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from '../../../src/cli/commands/report.js';
import { status } from '../../../src/cli/commands/status.js';
import { TOKEN, webApp } from './stub-api.js';

let app: FastifyInstance;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'qw-cli-report-'));

beforeAll(async () => {
  app = await webApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const out = { lines: [] as string[], errors: [] as string[] };
  return {
    out,
    output: { log: (l: string) => out.lines.push(l), error: (l: string) => out.errors.push(l) },
  };
}

describe('quietwatt status', () => {
  it('prints each space’s mode, this month’s savings and open alerts, with the token from the environment', async () => {
    const { out, output } = capture();
    const code = await status(['--url', url], output, { QUIETWATT_TOKEN: TOKEN });
    expect(out.errors).toEqual([]);
    expect(code).toBe(0);
    const text = out.lines.join('\n');
    expect(text).toContain('Maple <Court> (maple-court)');
    expect(text).toMatch(
      /this month, measured: 250 kWh \(25\.0 %\), 155\.50 CNY, 145 kg CO2 \[randomized, 90% interval ±50\.0 kWh, provisional\]/,
    );
    expect(text).toMatch(
      /lobby\s+active \(config\)\s+1 device\(s\), 1 acknowledged, 1 override\(s\), 1 stale input\(s\)/,
    );
    expect(text).toMatch(/gym\s+shadow \(operator\)/);
    expect(text).toContain('2 open alert(s)');
  });

  it('shows one space in detail, and JSON for scripts', async () => {
    const one = capture();
    expect(await status(['--url', url, '--token', TOKEN, '--space', 'lobby'], one.output, {})).toBe(0);
    expect(one.out.lines.join('\n')).toMatch(
      /lobby-lights \(lighting\): level 40 %, ack acknowledged, commissioning passed, lease until 2026-07-02 10:15, OVERRIDE until 2026-07-02 11:00/,
    );
    expect(one.out.lines.join('\n')).toContain('lobby-pir (occupancy): 1 at 2026-07-02 09:58, STALE');
    const json = capture();
    expect(await status(['--url', url, '--token', TOKEN, '--json'], json.output, {})).toBe(0);
    const parsed = JSON.parse(json.out.lines.join('\n')) as { sites: { site: { id: string } }[] };
    expect(parsed.sites.map((s) => s.site.id)).toEqual(['maple-court']);
  });

  it('says plainly when the token is missing, refused, or the site unknown', async () => {
    const none = capture();
    expect(await status(['--url', url], none.output, {})).toBe(2);
    expect(none.out.errors.join()).toContain('QUIETWATT_TOKEN');
    const bad = capture();
    expect(await status(['--url', url, '--token', 'nope'], bad.output, {})).toBe(1);
    expect(bad.out.errors.join()).toContain('/api/v1/sites: the token was not accepted');
    const unknown = capture();
    expect(await status(['--url', url, '--token', TOKEN, '--site', 'elm'], unknown.output, {})).toBe(1);
    expect(unknown.out.errors.join()).toContain('no site "elm"');
  });
});

describe('quietwatt report', () => {
  it('writes the month’s page for the only site to --out', async () => {
    const file = join(dir, 'june.html');
    const { out, output } = capture();
    const code = await report(
      ['--url', url, '--token', TOKEN, '--month', '2026-06', '--lang', 'zh', '--out', file],
      output,
      {},
    );
    expect(out.errors).toEqual([]);
    expect(code).toBe(0);
    expect(out.lines.join()).toContain(`to ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('月度节能报告');
    expect(html).toContain('2026-06-20 – 2026-07-20');
  });

  it('refuses a bad month before asking the service', async () => {
    const { out, output } = capture();
    expect(await report(['--url', url, '--token', TOKEN, '--month', 'June'], output, {})).toBe(2);
    expect(out.errors.join()).toContain('--month: expected a month YYYY-MM, got "June"');
  });

  it('runs as the real command and prints the page on stdout', async () => {
    const child = spawn(
      process.execPath,
      ['src/cli/bin.js', 'report', '--month', '2026-06', '--site', 'maple-court', '--url', url],
      { env: { ...process.env, QUIETWATT_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Monthly energy savings report');
  });
});
