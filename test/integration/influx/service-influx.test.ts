/**
 * The running service with an `influx:` section: the simulator's readings go through ingest and
 * sensors into their stores and on, through the sink, to a real server of the write API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { MIGRATIONS } from '../../../src/adapters/sqlite/migrations/index.js';
import { validateConfig } from '../../../src/config/parse.js';
import { startService } from '../../../src/main.js';
import { startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { VictoriaMetrics, victoriaMetricsMissing } from '../../helpers/victoria-metrics.js';

// The outbox table comes with migration 009, registered once the migration before it exists.
const noOutbox = !MIGRATIONS.some((m) => m.name === 'influx-outbox');
if (noOutbox) console.warn('service InfluxDB test skipped: migration 009 (influx-outbox) is not registered');
const missing = noOutbox || victoriaMetricsMissing();

describe.skipIf(missing)('the service with an InfluxDB sink (victoria-metrics)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qw-service-influx-'));
  let broker: TestBroker;
  let vm: VictoriaMetrics;
  beforeAll(async () => {
    broker = await startTestBroker();
    vm = await VictoriaMetrics.start();
  });
  afterAll(async () => {
    await vm?.dispose();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports interval energy and sensor values of the demo community as they are stored', {
    timeout: 90_000,
  }, async () => {
    const { prefix, clientId } = broker.unique('influx');
    const raw = parse(readFileSync('config/default.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
    raw.mqtt = { ...raw.mqtt, url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
    raw.storage = { ...raw.storage, dir: join(dir, 'store') };
    raw.clock = { source: 'accelerated', speed: 300 };
    raw.http = { enabled: false };
    raw.influx = { url: vm.url, org: 'quietwatt', bucket: 'quietwatt', tokenEnv: 'QW_TEST_INFLUX_TOKEN' };
    const file = join(dir, 'quietwatt.yaml');
    writeFileSync(file, stringify(raw));
    const validated = validateConfig(raw, file);
    if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));

    const service = await startService({
      config: validated.config,
      configFile: file,
      rootLogger: pino({ level: 'silent' }),
      env: { QW_TEST_INFLUX_TOKEN: 'unused' },
      watchConfig: false,
    });
    expect(service.banner.some((l) => l.includes(`influx     ${vm.url}/`))).toBe(true);
    try {
      // Polled every half second: each look flushes the server.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const names = new Set(
          (await vm.export('{__name__=~"energy_kwh|sensor_value"}')).map((x) => x.metric.__name__),
        );
        if (names.size === 2) break;
        if (Date.now() > deadline)
          throw new Error(`only ${[...names].join(', ') || 'nothing'} at the server`);
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await service.stop();
    }

    const db = new Database(join(dir, 'store', 'quietwatt.db'), { readonly: true });
    const waiting = db.prepare('SELECT count(*) AS n FROM influx_outbox').get() as { n: number };
    db.close();
    expect(waiting.n).toBe(0);
    const energy = await vm.export('{__name__="energy_kwh"}');
    const site = validated.config.sites[0];
    for (const s of energy) {
      expect(s.metric.site).toBe(site?.id);
      const space = site?.spaces.find((sp) => sp.id === s.metric.space);
      expect(space?.meters.map((m) => m.id)).toContain(s.metric.meter);
      for (const ts of s.timestamps) expect(ts % (15 * 60_000)).toBe(0);
    }
  });
});
