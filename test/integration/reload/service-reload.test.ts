/**
 * Reloads of the running service's config file: a restart-only change is refused with its reason
 * (and with it the whole edit), a live one reaches the forecast service and is then logged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateConfig } from '../../../src/config/parse.js';
import { RESTART_REQUIRED_CODE } from '../../../src/config/restart-required.js';
import { startService } from '../../../src/main.js';
import { startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { until } from '../../helpers/poll.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-service-reload-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Raw = Record<string, Record<string, unknown>> & {
  sites: { spaces: Record<string, unknown>[] }[];
};

/** The demo config on the test broker, on a lockstep clock that is never stepped. */
function demoConfig(label: string) {
  const { prefix, clientId } = broker.unique(label);
  const raw = parse(readFileSync('config/default.yaml', 'utf8')) as Raw;
  raw.mqtt = { ...raw.mqtt, url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
  raw.storage = { ...raw.storage, dir: join(dir, label) };
  raw.clock = { source: 'mqtt', topic: `${prefix}/bench/clock`, start: '2026-07-06T10:00:00+08:00' };
  raw.simulator = { ...raw.simulator, enabled: false };
  raw.http = { enabled: false };
  const file = join(dir, `${label}.yaml`);
  writeFileSync(file, stringify(raw));
  const validated = validateConfig(raw, file);
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
  return { raw, config: validated.config, file, prefix };
}

/** A pino logger whose JSON lines the test reads. */
function capturedLogger() {
  const lines: { msg?: string; level: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('reloading the running service', () => {
  it('refuses an edit that changes a restart-only field, naming it and why; a live edit then reaches the forecasts', async () => {
    const demo = demoConfig('reload');
    const site = demo.config.sites[0];
    if (!site) throw new Error('the demo config has no site');
    const log = capturedLogger();
    const service = await startService({
      config: demo.config,
      configFile: demo.file,
      rootLogger: log.logger,
      env: {},
      watchConfig: true,
    });
    try {
      const withRoom = structuredClone(demo.raw);
      withRoom.sites[0]?.spaces.push({
        id: 'reload-room',
        type: 'other',
        areaM2: 30,
        meters: [{ id: 'reload-room-light', topic: `${demo.prefix}/m/reload-room`, measures: 'lighting' }],
      });

      // The new space together with a new storage folder: refused as a whole.
      const moved = structuredClone(withRoom);
      moved.storage = { ...moved.storage, dir: join(dir, 'elsewhere') };
      writeFileSync(demo.file, stringify(moved));
      const refused = await until(() => service.lastRefusedReload(), 'the refused reload');
      expect(refused.errors).toEqual([
        {
          code: RESTART_REQUIRED_CODE,
          message: `${demo.file}: storage.dir: changing it needs a restart (the SQLite database is opened at start)`,
        },
      ]);
      expect(service.alerts.alerts({ kind: 'config-refused' })).toHaveLength(1);
      await service.forecast.whenIdle();
      expect(service.forecast.forecastFor(site.id, 'reload-room', 'lighting')).toBeUndefined();
      expect(log.lines.some((l) => l.msg === 'config reloaded')).toBe(false);

      // The same space without the restart-only change: every service takes it.
      writeFileSync(demo.file, stringify(withRoom));
      await until(() => log.lines.find((l) => l.msg === 'config reloaded'), 'the reload');
      expect(service.alerts.alerts({ kind: 'config-refused' })).toHaveLength(0);
      await until(() => service.forecast.forecastFor(site.id, 'reload-room', 'lighting'), 'its forecast');
    } finally {
      await service.stop();
    }
  }, 90_000);
});
