import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxRows, startIngestChild, stopChild, storedPerMeter } from '../../helpers/ingest-process.js';
import { Loader } from '../../helpers/loader.js';
import { Mosquitto, mosquittoMissing } from '../../helpers/mosquitto.js';
import { expectEveryReadingOnce, storedTotal, untilAllStored } from './stored.js';

const METERS = 20;
/**
 * 12,000 readings: more than any in-memory buffer on the way (the bus's 10,000 messages waiting for
 * a handler without an inbox, the ingest service's 5,000 pending rows, Mosquitto's default queue of
 * 1,000 per client, which is raised here so the broker keeps them all).
 */
const PER_METER = 600;

let broker: Mosquitto;
let dir: string;

describe.skipIf(mosquittoMissing())(
  'a restart with a backlog larger than any buffer',
  { timeout: 60_000 },
  () => {
    beforeAll(async () => {
      broker = await Mosquitto.start({ maxQueuedMessages: 100_000 });
      dir = mkdtempSync(join(tmpdir(), 'qw-backlog-'));
    });
    afterAll(async () => {
      await broker?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('stores every reading published while the service was down', async () => {
      const storageDir = join(dir, 'storage');
      const prefix = 'qwtest/backlog';
      const child = () =>
        startIngestChild({
          url: broker.url,
          clientId: 'qwtest-backlog-svc',
          topic: prefix,
          storageDir,
          flushSeconds: 1,
          meters: METERS,
        });
      // One run subscribes, so the broker keeps a session; then the service is stopped.
      let service = await child();
      await stopChild(service);
      const loader = new Loader(
        { url: broker.url, clientId: 'qwtest-backlog-loader', prefix, meters: METERS, perMeter: PER_METER },
        Date.now() - 86_400_000,
      );
      try {
        await loader.done;
        expect(storedTotal(storageDir)).toBe(0);
        // The broker delivers the whole backlog as soon as the session reconnects, before the ingest
        // service has subscribed: it waits in the inbox, on disk, not in memory.
        service = await child();
        await untilAllStored(storageDir, loader.total, 45_000);
        await stopChild(service);
      } finally {
        await stopChild(service, 'SIGKILL');
        await loader.end();
      }
      expectEveryReadingOnce(storedPerMeter(storageDir), loader);
      expect(inboxRows(storageDir)).toBe(0);
    });
  },
);
