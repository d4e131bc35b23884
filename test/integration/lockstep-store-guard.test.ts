import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StoreAheadOfClockError } from '../../src/adapters/clock/store-time-guard.js';
import { LogTime } from '../../src/adapters/log/log-time.js';
import { createRootLogger } from '../../src/adapters/log/root-logger.js';
import { validateConfig } from '../../src/config/parse.js';
import { startService } from '../../src/main.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { startClockDriver } from '../helpers/clock-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-store-guard-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

const START = '2026-07-06T00:00:00+08:00';
const START_MS = Date.parse(START);
const HOUR = 3_600_000;

/** The minimal example on the test broker, under a lockstep clock from `start`. */
function lockstepConfig(prefix: string, clientId: string, start: string) {
  const raw = parse(readFileSync('config/examples/minimal.yaml', 'utf8')) as Record<string, unknown>;
  raw.mqtt = { url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
  raw.storage = { dir: join(dir, 'storage') };
  raw.http = { enabled: false };
  raw.clock = { source: 'mqtt', topic: `${prefix}/bench/clock`, start };
  const validated = validateConfig(raw, 'guard.yaml');
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
  return validated.config;
}

function jsonLines(): Writable & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) records.push(JSON.parse(l));
      done();
    },
  });
  return Object.assign(stream, { records });
}

describe('the lockstep clock and the store', () => {
  it('logs on the service clock; refuses a store with data after clock.start; accepts a later start', async () => {
    const { prefix, clientId } = broker.unique('store-guard');
    const out = jsonLines();
    const logTime = new LogTime();
    const rootLogger = createRootLogger({ level: 'info', destination: out, time: logTime });
    const service = await startService({
      config: lockstepConfig(prefix, clientId, START),
      configFile: 'guard.yaml',
      rootLogger,
      env: {},
      watchConfig: false,
      logTime,
    });
    const bench = await startClockDriver(broker.url, `${clientId}-bench`, `${prefix}/bench/clock`);
    const target = START_MS + 2 * HOUR;
    await bench.step(target);
    await service.stop();
    await bench.stop();

    // Lines written while the service ran carry its time, and the wall time beside it.
    const timed = out.records.filter((r) => 'wallTime' in r);
    expect(timed.length).toBeGreaterThan(0);
    for (const r of timed) {
      expect(r.time as number).toBeGreaterThanOrEqual(START_MS);
      expect(r.time as number).toBeLessThanOrEqual(target);
      expect(Math.abs(Date.parse(r.wallTime as string) - Date.now())).toBeLessThan(120_000);
    }

    // The same start again: the store ran to 02:00, so this run would write those hours twice.
    const again = startService({
      config: lockstepConfig(prefix, `${clientId}-2`, START),
      configFile: 'guard.yaml',
      rootLogger: createRootLogger({ level: 'fatal', destination: jsonLines() }),
      env: {},
      watchConfig: false,
    });
    await expect(again).rejects.toBeInstanceOf(StoreAheadOfClockError);
    await expect(again).rejects.toThrow(
      /holds data up to 2026-07-05T18:00:00.000Z, after clock.start 2026-07-05T16:00:00.000Z/,
    );

    // A start at or after where the store ends continues it.
    const later = await startService({
      config: lockstepConfig(prefix, `${clientId}-3`, '2026-07-06T02:00:00+08:00'),
      configFile: 'guard.yaml',
      rootLogger: createRootLogger({ level: 'fatal', destination: jsonLines() }),
      env: {},
      watchConfig: false,
    });
    expect(later.clock.now()).toBe(target);
    await later.stop();
  }, 60_000);
});
