import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SystemClock } from '../../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../../src/adapters/mqtt/mqtt-bus.js';
import { captureLogger } from '../../helpers/logger.js';
import { Mosquitto, mosquittoMissing } from '../../helpers/mosquitto.js';
import { until } from '../../helpers/poll.js';
import { makeCa, makeServerCert, type TestCa } from '../../helpers/tls-certs.js';

const USER = 'quietwatt';
// Distinctive, so that a search of every log line finds any trace of it.
const PASSWORD = 'pw-Zq7Vx2Lm9Tk4Rj8n';

let dir: string;
let broker: Mosquitto;
let ca: TestCa;
let strangerCa: TestCa;

describe.skipIf(mosquittoMissing())('MQTT over TLS with a password, against Mosquitto', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qw-tls-'));
    ca = makeCa(dir, 'ca');
    // A CA that signed nothing the broker shows: a client trusting only it must refuse the broker.
    strangerCa = makeCa(dir, 'stranger');
    const server = makeServerCert(dir, ca);
    broker = await Mosquitto.start({ tls: { caFile: ca.caFile, ...server }, users: { [USER]: PASSWORD } });
  });
  afterAll(async () => {
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the service connects with the password from its variable, ingests, and logs no secret at trace', async () => {
    const storage = join(dir, 'storage');
    const topic = 'qwtest/tls/m1';
    const config = {
      logLevel: 'trace',
      mqtt: {
        url: broker.url,
        clientId: 'qwtest-tls-service',
        protocolVersion: 5,
        usernameEnv: 'QW_TEST_MQTT_USER',
        passwordEnv: 'QW_TEST_MQTT_PASSWORD',
        tls: { caFile: ca.caFile },
        topicPrefix: 'qwtest/tls/qw',
      },
      storage: { dir: storage },
      http: { port: 0 },
      simulator: { enabled: false },
      clock: { source: 'system' },
      sites: [
        {
          id: 'site',
          name: 'TLS site',
          timezone: 'UTC',
          spaces: [
            {
              id: 'lobby',
              type: 'lobby',
              areaM2: 100,
              meters: [{ id: 'm1', topic, measures: 'total', format: 'json' }],
            },
          ],
        },
      ],
    };
    const file = join(dir, 'config.yaml');
    writeFileSync(file, stringify(config));
    const child = spawn(process.execPath, ['src/cli/bin.js', 'run', '--config', file], {
      env: {
        ...process.env,
        LOG_FORMAT: 'json',
        QW_TEST_MQTT_USER: USER,
        QW_TEST_MQTT_PASSWORD: PASSWORD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const publisher = await mqtt.connectAsync(broker.url, {
      clientId: 'qwtest-tls-publisher',
      username: USER,
      password: PASSWORD,
      ca: [readFileSync(ca.caFile)],
    });
    try {
      await until(
        () => (output.includes('Press Ctrl-C to stop.') ? true : undefined),
        `the service running:\n${output.slice(-3000)}`,
        40_000,
      );
      expect(output).toContain('"msg":"mqtt connected"');
      await publisher.publishAsync(topic, JSON.stringify({ ts: Date.now() - 60_000, energyKWh: 12.5 }), {
        qos: 1,
      });
      // Acknowledged only once appended to the service's inbox: then a stop stores it.
      await until(
        () => (inboxOrReadings(storage) > 0 ? true : undefined),
        'the reading in the inbox',
        20_000,
      );
      child.kill('SIGTERM');
      const exit = await exited;
      expect(exit, output.slice(-3000)).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await publisher.endAsync();
    }
    const db = new Database(join(storage, 'quietwatt.db'), { readonly: true });
    const row = db
      .prepare("SELECT count(*) AS n, max(energy_kwh) AS kwh FROM readings WHERE meter_id = 'm1'")
      .get();
    db.close();
    expect(row).toEqual({ n: 1, kwh: 12.5 });
    // Trace and debug lines were written, and none of them (nor any other output) has the password.
    expect(output).toMatch(/"level":(10|20)/);
    expect(output).not.toContain(PASSWORD);
  });

  it('a wrong password: one clear warning, no flood while it keeps retrying, no secret in the log', async () => {
    const log = captureLogger();
    const bus = adapter('qwtest-wrong-password', 'not-the-password', ca, log);
    await bus.start();
    try {
      await until(() => (errors(log) >= 4 ? true : undefined), 'four refused attempts');
      expect(bus.connected).toBe(false);
    } finally {
      await bus.stop();
    }
    const first = log.lines.find((l) => l.msg === 'mqtt error');
    expect(first?.level).toBe('warn');
    expect(first?.obj).toMatchObject({
      err: expect.stringMatching(/Not authorized/),
      hint: expect.stringMatching(/passwordEnv/),
    });
    expectCapped(log);
    expect(JSON.stringify(log.lines)).not.toContain('not-the-password');
  });

  it('an untrusted CA: one clear warning naming the certificate, no flood while it keeps retrying', async () => {
    const log = captureLogger();
    const bus = adapter('qwtest-stranger-ca', PASSWORD, strangerCa, log);
    await bus.start();
    try {
      await until(() => (errors(log) >= 4 ? true : undefined), 'four failed handshakes');
      expect(bus.connected).toBe(false);
    } finally {
      await bus.stop();
    }
    const first = log.lines.find((l) => l.msg === 'mqtt error');
    expect(first?.level).toBe('warn');
    expect(first?.obj).toMatchObject({
      err: expect.stringMatching(/certificate/),
      hint: expect.stringMatching(/caFile/),
    });
    expectCapped(log);
    expect(JSON.stringify(log.lines)).not.toContain(PASSWORD);
  });
});

/** The service's MQTT adapter with the given credentials, at trace level into `log`. */
function adapter(clientId: string, password: string, trusted: TestCa, log: ReturnType<typeof captureLogger>) {
  return new MqttBus(
    {
      url: broker.url,
      clientId,
      protocolVersion: 5,
      persistentSession: false,
      sessionExpirySeconds: 0,
      username: USER,
      password,
      tls: { caFile: trusted.caFile, rejectUnauthorized: true },
      connectWaitMs: 500,
      // Quick retries, so that a handful of failed attempts take a second or two.
      reconnectBackoffMs: { min: 100, max: 400 },
    },
    new SystemClock(),
    log,
  );
}

/** Connection errors seen, at any level. */
const errors = (log: ReturnType<typeof captureLogger>) =>
  log.lines.filter((l) => l.msg === 'mqtt error' || l.msg === 'mqtt still failing; retrying').length;

/**
 * A retry every couple of seconds for as long as the outage lasts must not mean a warning each time:
 * the first error, the offline and not-yet-reachable notices are warnings, repeats are debug.
 */
function expectCapped(log: ReturnType<typeof captureLogger>): void {
  const loud = log.lines.filter((l) => l.level === 'warn' || l.level === 'error');
  expect(loud.map((l) => l.msg).sort()).toEqual(
    [
      'mqtt broker not reachable yet; continuing and retrying in the background',
      'mqtt error',
      'mqtt offline, reconnecting',
    ].sort(),
  );
  expect(
    log.lines.filter((l) => l.level === 'debug' && l.msg === 'mqtt error').length,
  ).toBeGreaterThanOrEqual(3);
}

/** Rows of the reading, wherever it is yet: the inbox (acknowledged) or the readings table (flushed). */
function inboxOrReadings(storage: string): number {
  let db: Database.Database;
  try {
    db = new Database(join(storage, 'quietwatt.db'), { readonly: true });
  } catch {
    return 0; // not created yet
  }
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return n('SELECT count(*) AS n FROM inbound_inbox') + n('SELECT count(*) AS n FROM readings');
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
}
