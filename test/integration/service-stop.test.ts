import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { freePort } from '../helpers/free-port.js';
import { Mosquitto, mosquittoMissing } from '../helpers/mosquitto.js';

/** Generous for a loaded CI machine; the requirement is 10 s, and each measured time is printed. */
const EXIT_DEADLINE_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'qw-stop-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The demo config on a wall clock, without the simulator, against `url`. */
function configFor(name: string, url: string): string {
  const config = parse(readFileSync('config/default.yaml', 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const { prefix, clientId } = broker.unique(name);
  // The embedded test broker (aedes, without MQTT_URL) speaks MQTT 3.1.1 only; Mosquitto speaks 5.
  const protocolVersion = process.env.MQTT_URL ? 5 : 4;
  config.mqtt = {
    ...config.mqtt,
    url,
    clientId,
    topicPrefix: prefix,
    protocolVersion,
    commands: { enabled: false },
  };
  config.storage = { ...config.storage, dir: join(dir, name) };
  config.http = { port: 0 };
  config.simulator = { ...config.simulator, enabled: false };
  config.clock = { source: 'system' };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

interface Stopped {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stopMs: number;
  readonly stdout: string;
}

/** Runs `quietwatt run`, sends SIGTERM once `when` says so, and waits (up to the deadline) for the exit. */
async function stopWhen(
  configFile: string,
  when: (stdout: string) => boolean,
  label: string,
): Promise<Stopped> {
  const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', configFile], {
    env: { ...process.env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let signalledAt: number | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const check = () => {
    if (signalledAt === undefined && when(stdout)) {
      signalledAt = performance.now();
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  check();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), EXIT_DEADLINE_MS + 60_000);
  });
  const outcome = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    throw new Error(`${label}: no exit\n${stdout.slice(-3000)}`);
  }
  const stopMs = performance.now() - (signalledAt ?? performance.now());
  console.log(`${label}: exit ${outcome.code ?? outcome.signal} ${Math.round(stopMs)} ms after SIGTERM`);
  return { ...outcome, stopMs, stdout };
}

function expectCleanStop(stopped: Stopped): void {
  const tail = stopped.stdout.split('\n').slice(-12).join('\n');
  expect({ code: stopped.code, signal: stopped.signal }, tail).toEqual({ code: 0, signal: null });
  expect(stopped.stdout, tail).toContain('"msg":"stopped cleanly"');
  expect(stopped.stopMs, tail).toBeLessThan(EXIT_DEADLINE_MS);
}

const started = (stdout: string) => stdout.includes('Press Ctrl-C to stop.');

describe('quietwatt run stops cleanly on SIGTERM', { timeout: 120_000 }, () => {
  it('sent while the code is still loading', async () => {
    const file = configFor('loading', broker.url);
    // Node itself must have booted (no JavaScript, no handler before that): a few hundred ms.
    const since = performance.now();
    const stopped = await stopWhen(file, () => performance.now() - since > 300, 'while loading');
    expectCleanStop(stopped);
    expect(stopped.stdout).not.toContain('Press Ctrl-C to stop.');
  });

  it('sent during start-up, once the first component logs', async () => {
    const file = configFor('starting', broker.url);
    const stopped = await stopWhen(
      file,
      (out) => out.includes('"msg":"database migrated"'),
      'during start-up',
    );
    expectCleanStop(stopped);
  });

  it('sent once it is running', async () => {
    const file = configFor('running', broker.url);
    const stopped = await stopWhen(file, started, 'running');
    expectCleanStop(stopped);
    expect(stopped.stdout).toContain('control stopped; devices handed back');
  });

  it('sent while start-up waits for a broker that is down', async () => {
    const file = configFor('down-starting', `mqtt://127.0.0.1:${await freePort()}`);
    const stopped = await stopWhen(file, (out) => out.includes('mqtt offline'), 'broker down, starting');
    expectCleanStop(stopped);
  });

  it('sent while running with the broker down', async () => {
    const file = configFor('down-running', `mqtt://127.0.0.1:${await freePort()}`);
    const stopped = await stopWhen(file, started, 'broker down, running');
    expectCleanStop(stopped);
    expect(stopped.stdout).toContain('mqtt broker not reachable yet');
  });
});

/**
 * A config of `meters` JSON meters (100 per space, one site) against `url`, written as block YAML
 * by hand: the `yaml` package takes seconds to write 100,000 meters.
 */
function scaleConfigFor(name: string, url: string, meters: number): string {
  // The shared test broker only names the client and prefix: the broker here is the test's own.
  const { prefix, clientId } = broker.unique(name);
  const lines = [
    'version: 1',
    'mqtt:',
    `  url: ${JSON.stringify(url)}`,
    `  clientId: ${clientId}`,
    `  topicPrefix: ${prefix}`,
    '  protocolVersion: 5',
    '  commands:',
    '    enabled: false',
    'storage:',
    `  dir: ${JSON.stringify(join(dir, name))}`,
    'clock:',
    '  source: system',
    'simulator:',
    '  enabled: false',
    'http:',
    '  port: 0',
    'sites:',
    '  - id: scale',
    '    name: Scale',
    '    timezone: Asia/Shanghai',
    '    spaces:',
  ];
  for (let s = 0; s * 100 < meters; s++) {
    lines.push(`      - id: space-${s}`, '        type: corridor', '        areaM2: 100', '        meters:');
    for (let m = s * 100; m < Math.min(meters, (s + 1) * 100); m++)
      lines.push(
        `          - id: m-${m}`,
        `            topic: ${prefix}/meters/${m}`,
        '            measures: total',
        '            format: json',
      );
  }
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// 100,000 configured meters: an 11 MB config, a meter index and a subscription per meter, on a
// Mosquitto of the test's own (the embedded test broker takes minutes over 100,000 subscriptions).
// The sources run through tsx here, so start-up takes longer than the compiled service's
// (bench:startup).
describe.skipIf(mosquittoMissing())(
  'quietwatt run at 100,000 meters stops cleanly on SIGTERM',
  { timeout: 240_000 },
  () => {
    let mosquitto: Mosquitto;
    let url: string;
    beforeAll(async () => {
      mosquitto = await Mosquitto.start();
      url = mosquitto.url;
    });
    afterAll(async () => {
      await mosquitto?.dispose();
    });

    it('sent during start-up, once ingest has subscribed its topics', async () => {
      const file = scaleConfigFor('scale-starting', url, 100_000);
      const stopped = await stopWhen(
        file,
        (out) => out.includes('"msg":"ingest started"'),
        '100,000 meters, during start-up',
      );
      expectCleanStop(stopped);
      expect(stopped.stdout).toContain('"meters":100000');
    });

    it('sent once it is running', async () => {
      const file = scaleConfigFor('scale-running', url, 100_000);
      const stopped = await stopWhen(file, started, '100,000 meters, running');
      expectCleanStop(stopped);
    });
  },
);
