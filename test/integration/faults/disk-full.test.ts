import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxRows, startIngestChild, stopChild, storedPerMeter } from '../../helpers/ingest-process.js';
import { Loader } from '../../helpers/loader.js';
import { Mosquitto, mosquittoMissing } from '../../helpers/mosquitto.js';
import { until } from '../../helpers/poll.js';
import { canMountTmpfs, fillUp, mountTmpfs, type Tmpfs } from '../../helpers/tmpfs.js';
import { expectEveryReadingOnce, storedTotal, untilAllStored } from './stored.js';

const logged = (lines: readonly string[], msg: string) => lines.some((l) => l.includes(`"msg":"${msg}`));

const METERS = 20;
const PER_METER = 150;

// Mounted for a moment here only to learn whether it can be; nothing stays mounted unless tests run.
const skip = mosquittoMissing() || !canMountTmpfs();

let broker: Mosquitto;
let disk: Tmpfs | undefined;

describe.skipIf(skip)('the store on a file system that fills up', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // The store lives on its own small file system, which the test fills for real.
    disk = mountTmpfs(64);
    if (!disk) throw new Error('the tmpfs could be mounted a moment ago, but not now');
    broker = await Mosquitto.start({ maxQueuedMessages: 100_000 });
  });
  afterAll(async () => {
    await broker?.dispose();
    disk?.unmount();
  });

  it('holds acknowledgements while the disk is full and stores every reading exactly once after', async () => {
    const dir = (disk as Tmpfs).dir;
    const storageDir = join(dir, 'storage');
    const filler = join(dir, 'filler');
    const prefix = 'qwtest/disk-full';
    const child = await startIngestChild({
      url: broker.url,
      clientId: 'qwtest-disk-full-svc',
      topic: prefix,
      storageDir,
      flushSeconds: 1,
      meters: METERS,
    });
    const loader = new Loader(
      {
        url: broker.url,
        clientId: 'qwtest-disk-full-loader',
        prefix,
        meters: METERS,
        perMeter: PER_METER,
        pauseMs: 20,
      },
      Date.now() - 86_400_000,
    );
    let whileFull = 0;
    try {
      await until(() => (loader.acknowledged >= loader.total / 3 ? true : undefined), 'a third published');
      fillUp(filler);
      // The service's next append finds no room: it holds that acknowledgement, so the broker
      // queues the rest of the loader's readings for its session.
      await until(
        () => (logged(child.logLines, 'inbox append failing') ? true : undefined),
        'an append refused for want of space',
      );
      await loader.done;
      whileFull = storedTotal(storageDir);
      rmSync(filler);
      await untilAllStored(storageDir, loader.total, 40_000);
      await stopChild(child);
    } finally {
      rmSync(filler, { force: true });
      await stopChild(child, 'SIGKILL');
      await loader.end();
    }
    // The disk was full while the last readings came: not all of them could be stored then.
    expect(whileFull).toBeLessThan(loader.total);
    const failing = child.logLines.find((l) => l.includes('inbox append failing'));
    expect(JSON.parse(failing ?? '{}')).toMatchObject({ level: 'warn', err: 'database or disk is full' });
    expectEveryReadingOnce(storedPerMeter(storageDir), loader);
    expect(inboxRows(storageDir)).toBe(0);
  });
});
