import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-demo-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Figure {
  kind: string;
  spaceId: string | null;
  endUse: string | null;
  avoidedKWh: number;
  interval: { lowKWh: number; highKWh: number } | null;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The demo as `npm start` runs it on an empty store: the replay goes through MQTT, ingest, control,
 * the randomized verification and the ledger, and a measured figure with its interval reaches the
 * savings API. No time limit is asserted (the machine may be loaded); the wait is generous.
 */
describe('npm start on an empty store (the demo replay)', () => {
  it('shows a measured savings figure with its interval through the API', async () => {
    const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    const httpPort = await freePort();
    config.mqtt = { ...config.mqtt, embeddedPort: await freePort() };
    config.storage = { ...config.storage, dir: join(dir, 'storage') };
    config.http = { port: httpPort, tokensFile: join(dir, 'tokens.txt') };
    // One day fewer than the demo: no shadow day; the verification's two weeks still run in full.
    config.clock = { ...config.clock, fastForward: { days: 15, shadowDays: 0, stepMinutes: 15 } };
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, stringify(config));

    const proc = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', configFile], {
      env: { ...process.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });

    let answers = 0;
    let measured: Figure | undefined;
    const deadline = Date.now() + 450_000;
    const replayed = /replayed 15 days in \d+ s; /;
    while ((!measured || !replayed.test(stdout)) && Date.now() < deadline && proc.exitCode === null) {
      await new Promise((r) => setTimeout(r, 2_000));
      const tokens = join(dir, 'tokens.txt');
      if (!existsSync(tokens)) continue;
      const viewer = readFileSync(tokens, 'utf8')
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .find((f) => f[1] === 'viewer')?.[2];
      if (!viewer) continue;
      const url = `http://127.0.0.1:${httpPort}/api/v1/savings?from=${day(-40)}&to=${day(2)}&granularity=month&site=maple-court`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${viewer}` } }).catch(() => undefined);
      if (!res?.ok) continue;
      // The API answers while the replay runs: its steps yield to the event loop.
      answers++;
      const body = (await res.json()) as { figures: Figure[] };
      measured ??= body.figures.find(
        (f) => f.kind === 'measured' && f.interval !== null && f.spaceId === null && f.endUse === null,
      );
    }
    expect(measured, `no measured figure with an interval:\n${stdout.slice(-4000)}\n${stderr}`).toBeDefined();
    const interval = measured?.interval;
    expect(interval?.lowKWh).toBeLessThanOrEqual(interval?.highKWh ?? Number.NaN);
    expect(answers).toBeGreaterThan(1);
    // Arrival-stamped meters (Zigbee2MQTT, Shelly) are stamped at the simulated time they were sent.
    expect(stdout).not.toContain('conflicting-duplicate');
    // A resident's override silences a controller now and then; commands that reached the
    // simulator after the clock had moved on raised this hundreds of times in three days.
    expect(stdout.split('controller does not acknowledge').length - 1).toBeLessThan(15);

    const exitCode = await new Promise<number | null>((resolve) => {
      proc.once('exit', (code) => resolve(code));
      proc.kill('SIGINT');
    });
    expect(exitCode).toBe(0);
    // The replay ends with one line saying how long it took (and the figure, once there is one),
    // and how many alerts its simulated days raised: those are logged at debug, not as warnings.
    expect(stdout).toMatch(replayed);
    expect(stdout).toMatch(
      /; \d+ alerts? raised in the replayed days, \d+ open \(the dashboard lists them\)/,
    );
    const beforeEnd = stdout.slice(0, stdout.search(replayed));
    expect(beforeEnd).not.toContain('"msg":"alert raised"');
    expect(stderr).toBe('');
  }, 480_000);
});
