import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EmbeddedBroker } from '../../src/adapters/mqtt/embedded-broker.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/poll.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-broker-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Connects once, without retrying: resolves with the CONNACK's return code (0 accepted). */
function connectCode(url: string, options: { username?: string; password?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      ...options,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      protocolVersion: 4,
    });
    client.once('connect', () => {
      client.end(true);
      resolve(0);
    });
    client.once('error', (error) => {
      client.end(true);
      const code = (error as Error & { code?: number }).code;
      if (typeof code === 'number') resolve(code);
      else reject(error);
    });
  });
}

describe('the embedded broker with credentials', () => {
  it('refuses clients without them or with wrong ones, and accepts the right ones', async () => {
    const broker = new EmbeddedBroker(0, undefined, '127.0.0.1', { username: 'qw', password: 's3cret' });
    await broker.start();
    try {
      expect(await connectCode(broker.url)).toBe(4);
      expect(await connectCode(broker.url, { username: 'qw', password: 'wrong' })).toBe(4);
      expect(await connectCode(broker.url, { username: 'other', password: 's3cret' })).toBe(4);
      expect(await connectCode(broker.url, { username: 'qw', password: 's3cret' })).toBe(0);
    } finally {
      await broker.stop();
    }
  });

  it('is what quietwatt run starts with mqtt.passwordEnv: its own clients connect, others are refused', async () => {
    const port = await freePort();
    const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    config.mqtt = {
      ...config.mqtt,
      embeddedPort: port,
      usernameEnv: 'QW_TEST_MQTT_USER',
      passwordEnv: 'QW_TEST_MQTT_PASSWORD',
    };
    config.storage = { ...config.storage, dir: join(dir, 'storage') };
    config.http = { port: 0 };
    config.clock = { source: 'system' };
    const file = join(dir, 'config.yaml');
    writeFileSync(file, stringify(config));
    const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', file], {
      env: {
        ...process.env,
        LOG_FORMAT: 'json',
        QW_TEST_MQTT_USER: 'quietwatt',
        QW_TEST_MQTT_PASSWORD: 'pw-9f3k',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not started:\n${stdout.slice(-3000)}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('Press Ctrl-C to stop.') && stdout.includes('"msg":"mqtt connected"')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const url = `mqtt://127.0.0.1:${port}`;
      expect(await connectCode(url)).toBe(4);
      expect(await connectCode(url, { username: 'quietwatt', password: 'pw-9f3k' })).toBe(0);
      // Only the client above: the service's bus and its simulator presented the credentials. The
      // service logs the refusal after the client has its CONNACK: wait for the line to arrive.
      await until(
        () => (stdout.includes('embedded broker refused a client') ? true : undefined),
        'the refusal logged',
      );
      expect(stdout.match(/embedded broker refused a client/g)).toHaveLength(1);
      expect(stdout).not.toContain('pw-9f3k');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);

  it('refuses to start when mqtt.passwordEnv names an unset variable', async () => {
    const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    config.mqtt = { ...config.mqtt, embeddedPort: await freePort(), passwordEnv: 'QW_TEST_UNSET_PASSWORD' };
    config.storage = { ...config.storage, dir: join(dir, 'unset') };
    const file = join(dir, 'unset.yaml');
    writeFileSync(file, stringify(config));
    const env = { ...process.env };
    delete env.QW_TEST_UNSET_PASSWORD;
    const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', file], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('QW_TEST_UNSET_PASSWORD, which is not set');
  }, 60_000);
});
