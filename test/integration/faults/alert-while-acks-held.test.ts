import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../../src/adapters/mqtt/mqtt-bus.js';
import { SqliteAlertStore } from '../../../src/adapters/sqlite/alert-store.js';
import { openSqliteStorage, SqliteInbox, sqliteAtomically } from '../../../src/adapters/sqlite/index.js';
import { WebhookNotifier } from '../../../src/adapters/webhook/webhook-notifier.js';
import { IngestService } from '../../../src/services/ingest/ingest-service.js';
import { AlertService } from '../../../src/services/operations/alert-service.js';
import { IdleScheduler } from '../../helpers/idle-scheduler.js';
import { storedPerMeter } from '../../helpers/ingest-process.js';
import { Loader } from '../../helpers/loader.js';
import { lobbySite } from '../../helpers/lobby-site.js';
import { captureLogger } from '../../helpers/logger.js';
import { Mosquitto, mosquittoMissing } from '../../helpers/mosquitto.js';
import { until } from '../../helpers/poll.js';
import { expectEveryReadingOnce } from './stored.js';

const METERS = 3;
const PER_METER = 500;

interface Pushed {
  readonly event: string;
  readonly alert: { readonly key: string; readonly kind: string };
}

let broker: Mosquitto;
let dir: string;
let webhook: Server;
let webhookUrl: string;
const pushed: Pushed[] = [];

describe.skipIf(mosquittoMissing())(
  'an alert while the bus holds acknowledgements',
  { timeout: 60_000 },
  () => {
    beforeAll(async () => {
      broker = await Mosquitto.start({ maxQueuedMessages: 100_000 });
      dir = mkdtempSync(join(tmpdir(), 'qw-alert-hold-'));
      webhook = createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => {
          body += d.toString();
        });
        req.on('end', () => {
          pushed.push(JSON.parse(body) as Pushed);
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
      const address = webhook.address();
      webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/alerts`;
    });
    afterAll(async () => {
      await new Promise((resolve) => webhook?.close(resolve));
      await broker?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('store-unwritable reaches the webhook and a QoS 1 publish reaches the broker while the inbox is full', async () => {
      const prefix = 'qwtest/alert-hold';
      const log = captureLogger();
      const clock = new SystemClock();
      const storageDir = join(dir, 'storage');
      const storage = openSqliteStorage(storageDir, log);
      const db = storage.database.db;
      const notifier = new WebhookNotifier({
        url: webhookUrl,
        minSeverity: 'warning',
        timeoutMs: 5_000,
        maxAttempts: 3,
        log,
      });
      const alerts = new AlertService({ store: new SqliteAlertStore(db), clock, log, notifier });
      const bus = new MqttBus(
        {
          url: broker.url,
          clientId: 'qwtest-alert-hold-svc',
          protocolVersion: 5,
          persistentSession: true,
          sessionExpirySeconds: 300,
          inbox: new SqliteInbox(db),
          alerts,
        },
        clock,
        log,
      );
      const meters = Array.from({ length: METERS }, (_, i) => ({
        id: `m${i + 1}`,
        topic: `${prefix}/m${i + 1}`,
      }));
      // No periodic flush: until the end, nothing deletes inbox rows and so frees pages for the appends.
      const service = new IngestService({
        bus,
        clock,
        log,
        scheduler: new IdleScheduler(),
        readings: storage.stores.readings,
        intervals: storage.stores.intervals,
        meterState: storage.stores.meterState,
        config: { sites: [lobbySite(meters)], rawRetentionDays: 35 },
        maxPayloadBytes: 1024,
        inbox: new SqliteInbox(db),
        atomically: sqliteAtomically(db),
      });
      const watcher = await mqtt.connectAsync(broker.url, { clientId: 'qwtest-alert-hold-watcher' });
      const seen: string[] = [];
      watcher.on('message', (topic) => seen.push(topic));
      await watcher.subscribeAsync(`${prefix}/out`, { qos: 1 });
      await bus.start();
      await service.start();
      bus.settle();
      const loader = new Loader(
        {
          url: broker.url,
          clientId: 'qwtest-alert-hold-loader',
          prefix,
          meters: METERS,
          perMeter: PER_METER,
        },
        Date.now() - 86_400_000,
      );
      const accepted = () => meters.reduce((n, m) => n + (service.meter(m.id)?.accepted ?? 0), 0);
      let outDone = false;
      try {
        await until(() => (accepted() >= 100 ? true : undefined), 'the first readings');
        // The file may not grow by a page: SQLite answers SQLITE_FULL, as on a full disk.
        db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
        await until(() => (bus.inboxStats().holding ? true : undefined), 'an acknowledgement held');

        const raised = await until(
          () => pushed.find((p) => p.event === 'raised' && p.alert.kind === 'store-unwritable'),
          'the alert at the webhook',
        );
        expect(raised.alert.key).toBe('store-unwritable:*:*:inbox');
        // A publish goes out on the connection whose incoming packets are stalled: the broker takes it.
        void bus.publish(`${prefix}/out`, 'still here', { qos: 1 }).then(() => {
          outDone = true;
        });
        await until(() => (seen.includes(`${prefix}/out`) ? true : undefined), 'the publish at the broker');
        expect(bus.inboxStats().holding).toBe(true);
        expect(accepted()).toBeLessThan(loader.total);

        // Space again: the held append succeeds, the rest follows, and the alert clears.
        db.pragma('max_page_count = 1073741823');
        await loader.done;
        await until(
          () => (accepted() === loader.total ? true : undefined),
          `all ${loader.total} accepted`,
          40_000,
        );
        await until(
          () => pushed.find((p) => p.event === 'cleared' && p.alert.kind === 'store-unwritable'),
          'the alert cleared at the webhook',
        );
        await until(() => (outDone ? true : undefined), 'the publish acknowledged');
      } finally {
        await service.stop();
        await bus.stop();
        await notifier.stop();
        await loader.end();
        await watcher.endAsync();
        storage.database.close();
      }
      expectEveryReadingOnce(storedPerMeter(storageDir), loader);
      expect(log.lines.filter((l) => l.msg?.startsWith('inbox append failing'))).toHaveLength(1);
    });
  },
);
