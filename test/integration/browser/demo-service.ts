import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '../../helpers/free-port.js';

export interface DemoService {
  readonly url: string;
  readonly storageDir: string;
  readonly tokens: { readonly viewer: string; readonly operator: string };
  readonly output: () => string;
  stop(): Promise<number | null>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined) or `timeoutMs` passes; then throws with `what`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(1000);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Runs `quietwatt run` on a copy of the demo config (temp storage, free MQTT and HTTP ports), as a
 * user would, and reads the tokens the service writes on first start.
 */
export async function startDemo(
  dir: string,
  adjust: (config: Record<string, Record<string, unknown>>) => void = () => undefined,
): Promise<DemoService> {
  const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  adjust(config);
  const httpPort = await freePort();
  const storageDir = join(dir, 'storage');
  config.mqtt = { ...config.mqtt, embeddedPort: await freePort() };
  config.storage = { ...config.storage, dir: storageDir };
  config.http = { ...(config.http ?? {}), host: '127.0.0.1', port: httpPort };
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(config));
  const child: ChildProcess = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', configFile], {
    env: { ...process.env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    return exited;
  };
  try {
    await waitFor('the service to answer /livez', 300_000, async () => {
      if (child.exitCode !== null) throw new Error(`the service exited:\n${output}`);
      const res = await fetch(`${url}/livez`);
      return res.ok ? true : undefined;
    });
    const text = readFileSync(join(storageDir, 'tokens.txt'), 'utf8');
    const token = (role: string) => {
      const line = text.split('\n').find((l) => l.split('\t')[1] === role);
      const value = line?.split('\t')[2];
      if (!value) throw new Error(`no ${role} token in tokens.txt`);
      return value;
    };
    return {
      url,
      storageDir,
      tokens: { viewer: token('viewer'), operator: token('operator') },
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
