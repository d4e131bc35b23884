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

describe.skipIf(mosquittoMissing())('ingest while Mosquitto restarts', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // Sessions and their queued QoS 1 messages are saved on SIGTERM and loaded on start.
    broker = await Mosquitto.start({ persistence: true, maxQueuedMessages: 100_000 });
    dir = mkdtempSync(join(tmpdir(), 'qw-broker-restart-'));
  });
  afterAll(async () => {
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every QoS 1 reading exactly once when the broker is stopped and started mid-stream', async () => {
    const storageDir = join(dir, 'storage');
    const prefix = 'qwtest/broker-restart';
    const child = await startIngestChild({
      url: broker.url,
      clientId: 'qwtest-broker-restart-svc',
      topic: prefix,
      storageDir,
      flushSeconds: 1,
      meters: METERS,
    });
    const loader = new Loader(
      {
        url: broker.url,
        clientId: 'qwtest-broker-restart-loader',
        prefix,
        meters: METERS,
        perMeter: PER_METER,
        pauseMs: 20,
      },
      Date.now() - 86_400_000,
    );
    let atStop = 0;
    try {
      await until(() => (loader.acknowledged >= loader.total / 3 ? true : undefined), 'a third published');
      // The service frozen for a moment: what the broker acknowledges meanwhile waits in its queue for
      // the session (or in flight, unacknowledged) when it stops, and must come back after the restart.
      child.kill('SIGSTOP');
      const frozenAt = loader.acknowledged;
      await until(() => (loader.acknowledged >= frozenAt + 300 ? true : undefined), 'readings queued');
      atStop = loader.acknowledged;
      await broker.stop();
      await broker.run();
      child.kill('SIGCONT');
      await loader.done;
      await untilAllStored(storageDir, loader.total, 40_000);
      await stopChild(child);
    } finally {
      child.kill('SIGCONT');
      await stopChild(child, 'SIGKILL');
      await loader.end();
    }
    // The broker went away with readings still to come.
    expect(atStop).toBeLessThan(loader.total);
    expectEveryReadingOnce(storedPerMeter(storageDir), loader);
    expect(inboxRows(storageDir)).toBe(0);
  });
});
