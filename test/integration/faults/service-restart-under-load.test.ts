import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxRows, startIngestChild, stopChild, storedPerMeter } from '../../helpers/ingest-process.js';
import { Loader } from '../../helpers/loader.js';
import { Mosquitto, mosquittoMissing } from '../../helpers/mosquitto.js';
import { until } from '../../helpers/poll.js';
import { expectEveryReadingOnce, untilAllStored } from './stored.js';

const METERS = 20;
const PER_METER = 150;

let broker: Mosquitto;
let dir: string;

describe.skipIf(mosquittoMissing())(
  'the service stopped and restarted while a loader publishes',
  { timeout: 60_000 },
  () => {
    beforeAll(async () => {
      broker = await Mosquitto.start({ maxQueuedMessages: 100_000 });
      dir = mkdtempSync(join(tmpdir(), 'qw-service-restart-'));
    });
    afterAll(async () => {
      await broker?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    // SIGTERM: a clean stop flushes and disconnects without unsubscribing, so the broker keeps queueing
    // for the session. SIGKILL: what was acknowledged is in the inbox, the rest the broker resends.
    it.each(['SIGTERM', 'SIGKILL'] as const)(
      '%s mid-load, then a restart: no reading lost or stored twice',
      async (signal) => {
        const storageDir = join(dir, signal);
        const prefix = `qwtest/service-restart-${signal}`;
        const child = () =>
          startIngestChild({
            url: broker.url,
            clientId: `qwtest-service-restart-${signal}`,
            topic: prefix,
            storageDir,
            flushSeconds: 1,
            meters: METERS,
          });
        let service = await child();
        const loader = new Loader(
          {
            url: broker.url,
            clientId: `qwtest-service-restart-${signal}-loader`,
            prefix,
            meters: METERS,
            perMeter: PER_METER,
            pauseMs: 20,
          },
          Date.now() - 86_400_000,
        );
        let down = { at: 0, until: 0 };
        try {
          await until(
            () => (loader.acknowledged >= loader.total / 3 ? true : undefined),
            'a third published',
          );
          down = { at: loader.acknowledged, until: 0 };
          await stopChild(service, signal);
          // The loader carries on while nothing of the service runs.
          await until(() => (loader.acknowledged >= down.at + 300 ? true : undefined), 'readings while down');
          down.until = loader.acknowledged;
          service = await child();
          await loader.done;
          await untilAllStored(storageDir, loader.total, 40_000);
          await stopChild(service);
        } finally {
          await stopChild(service, 'SIGKILL');
          await loader.end();
        }
        expect(down.until).toBeLessThan(loader.total);
        expectEveryReadingOnce(storedPerMeter(storageDir), loader);
        expect(inboxRows(storageDir)).toBe(0);
      },
    );
  },
);
