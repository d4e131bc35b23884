import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../../src/config/parse.js';
import { startService } from '../../src/main.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { startClockDriver } from '../helpers/clock-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-lockstep-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * An outside test bench drives the whole service (with the built-in simulator as its digital twin)
 * over MQTT alone: it publishes time steps and waits for each acknowledgement.
 */
describe('the service under a lockstep clock', () => {
  it('runs a simulated day in 15-minute steps and hears every demo space on the way', async () => {
    const { prefix, clientId } = broker.unique('lockstep-svc');
    const raw = parse(readFileSync('config/default.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
    raw.mqtt = { ...raw.mqtt, url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
    raw.storage = { ...raw.storage, dir: join(dir, 'storage') };
    raw.http = { port: 0 };
    raw.clock = { source: 'mqtt', topic: `${prefix}/bench/clock`, start: '2026-07-06T00:00:00+08:00' };
    const validated = validateConfig(raw, 'lockstep.yaml');
    if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));

    const service = await startService({
      config: validated.config,
      configFile: 'lockstep.yaml',
      rootLogger: pino({ level: 'silent' }),
      env: {},
      watchConfig: false,
    });
    const bench = await startClockDriver(broker.url, `${clientId}-bench`, `${prefix}/bench/clock`);
    const step = (tMs: number) => bench.step(tMs);

    const start = Date.parse('2026-07-06T00:00:00+08:00');
    for (let i = 0; i <= 96; i++) await step(start + i * 15 * 60_000);
    expect(service.clock.now()).toBe(start + 96 * 15 * 60_000);
    // Give the last simulated readings time to travel through the broker before reading the stats.
    await new Promise((r) => setTimeout(r, 300));
    const stats = service.ingest.stats();
    for (const [space, { lastReadingTsMs }] of Object.entries(stats.spaces)) {
      expect(lastReadingTsMs, `last reading of ${space}`).toBeGreaterThan(start + 23 * 3_600_000);
    }
    await service.stop();
    await bench.stop();
  }, 120_000);
});
