import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { SqliteSensorStore } from '../../src/adapters/sqlite/sensor-store.js';
import { openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import { SiteConfig } from '../../src/config/schema/site.js';
import { SensorService } from '../../src/services/sensors/sensor-service.js';
import type { SensorServiceStats } from '../../src/services/sensors/sensor-stats.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { IdleScheduler } from '../helpers/idle-scheduler.js';
import { captureLogger } from '../helpers/logger.js';

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-sensors-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rig(label: string, prefix: string) {
  const { clientId } = broker.unique(label);
  const log = captureLogger();
  const clock = new SystemClock();
  const storage = openSqliteStorage(join(dir, label), log);
  const site = SiteConfig.parse({
    id: 'site',
    name: 'Test site',
    timezone: 'Asia/Shanghai',
    outdoorTemperatureTopic: `${prefix}/weather/outdoor`,
    spaces: [
      {
        id: 'lobby',
        type: 'lobby',
        areaM2: 100,
        sensors: [
          { id: 'motion', kind: 'occupancy', topic: `${prefix}/z2m/motion`, format: 'zigbee2mqtt' },
          { id: 'lux', kind: 'illuminance', topic: `${prefix}/z2m/motion`, format: 'zigbee2mqtt' },
          { id: 'temp', kind: 'indoor-temperature', topic: `${prefix}/temp`, format: 'number' },
        ],
      },
    ],
  });
  const bus = new MqttBus(
    {
      url: broker.url,
      clientId: `${clientId}-svc`,
      protocolVersion: 4,
      persistentSession: false,
      sessionExpirySeconds: 0,
    },
    clock,
    log,
  );
  await bus.start();
  const store = new SqliteSensorStore(storage.database.db);
  const service = new SensorService({
    bus,
    clock,
    log,
    scheduler: new IdleScheduler(),
    store,
    rejections: storage.stores.rejections,
    config: { sites: [site], rawRetentionDays: 35 },
    maxPayloadBytes: 256,
  });
  await service.start();
  const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub`, clean: true });
  return {
    service,
    store,
    storage,
    publish: (topic: string, payload: string) => publisher.publishAsync(topic, payload, { qos: 1 }),
    until: (done: (s: SensorServiceStats) => boolean) =>
      new Promise<SensorServiceStats>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const stats = service.stats();
          if (done(stats)) {
            clearInterval(poll);
            resolve(stats);
          } else if (Date.now() - started > 8000) {
            clearInterval(poll);
            reject(new Error(`timed out: ${JSON.stringify(stats.sensors)}`));
          }
        }, 20);
      }),
    close: async () => {
      await service.stop();
      await publisher.endAsync();
      await bus.stop();
      await storage.component.stop();
    },
  };
}

describe('sensors over a real broker and SQLite', () => {
  it('decodes a multi-sensor, fires occupancy events, counts bad input, persists and restores', async () => {
    const { prefix } = broker.unique('sensors');
    const a = await rig('sensors-db', prefix);
    const events: boolean[] = [];
    a.service.onOccupancy((_site, space, occupied) => {
      if (space === 'lobby') events.push(occupied);
    });
    await a.publish(`${prefix}/z2m/motion`, '{"occupancy":true,"illuminance":180,"battery":97}');
    await a.publish(`${prefix}/temp`, '22.5');
    await a.publish(`${prefix}/weather/outdoor`, '{"value":31}');
    await a.publish(`${prefix}/temp`, 'warm');
    await a.publish(`${prefix}/temp`, '85');
    await a.publish(`${prefix}/z2m/motion`, '{"occupancy":"yes","illuminance":-3}');
    await a.publish(`${prefix}/weather/outdoor`, '{"value":');
    await a.publish(`${prefix}/z2m/motion`, '{"occupancy":false}');
    const stats = await a.until(
      (s) => (s.sensors.motion?.accepted ?? 0) + (s.sensors.motion?.rejected['wrong-type'] ?? 0) >= 3,
    );
    expect(events).toEqual([true, false]);
    expect(stats.sensors.temp?.rejected).toEqual({ 'wrong-type': 1, 'out-of-range': 1 });
    expect(stats.sensors.lux?.rejected).toEqual({ 'out-of-range': 1 });
    expect(stats.sensors['site/site/outdoor-temperature']?.rejected).toEqual({ 'malformed-json': 1 });
    expect(a.service.latest('site', 'lobby', 'illuminance')?.value).toBe(180);
    expect(a.service.latest('site', 'lobby', 'outdoor-temperature')?.value).toBe(31);
    expect(a.service.isStale('temp', Date.now())).toBe(false);
    await a.close();

    const b = await rig('sensors-db', prefix);
    expect(b.service.latest('site', 'lobby', 'indoor-temperature')?.value).toBe(22.5);
    expect(b.service.latest('site', 'lobby', 'occupancy')?.value).toBe(0);
    const now = Date.now();
    expect(b.store.samplesFor('motion', now - 60_000, now + 1).map((s) => s.value)).toEqual([1, 0]);
    expect(b.store.outdoorTemperatureHourly('site', now - 7_200_000, now + 1).at(-1)?.temperatureC).toBe(31);
    const counts = b.storage.stores.rejections.counts().filter((c) => c.meterId === 'temp');
    expect(counts.map((c) => [c.reason, c.count])).toEqual([
      ['out-of-range', 1],
      ['wrong-type', 1],
    ]);
    await b.close();
  });
});
