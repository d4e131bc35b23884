/**
 * One retention pass over a real SQLite file, as the service wires it (`wireRetention`), on
 * simulated time: `--meters` meters, each with `--old` hourly readings past the 35-day default and
 * `--kept` within it. Prints the time the pass took, its batches, the longest batch, the event-loop
 * delay over the pass (p99 / max), and the newest-data query's time (the lockstep clock's start check).
 *
 *   npm run bench:retention [-- --meters 20000,100000] [-- --old 10] [-- --kept 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ManualClock } from '../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../src/adapters/scheduler/simulated-scheduler.js';
import { openDatabase } from '../src/adapters/sqlite/database.js';
import { createSqliteStores } from '../src/adapters/sqlite/index.js';
import { newestStoredDataMs } from '../src/adapters/sqlite/newest-data.js';
import { StorageConfig } from '../src/config/schema/runtime.js';
import { wireRetention } from '../src/main/retention.js';
import type { StoredReading } from '../src/ports/stores.js';
import { captureLogger } from '../test/helpers/logger.js';
import { listArg, numberArg } from './args.js';

const SIZES = listArg('meters', '20000');
const OLD = numberArg('old', 10);
const KEPT = numberArg('kept', 10);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The hourly pass runs at 35 s past the hour. */
const NOW_MS = Date.UTC(2026, 5, 1, 0, 0, 35);
const policy = StorageConfig.parse({});

async function run(meters: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'qw-bench-retention-'));
  const database = openDatabase(join(dir, 'quietwatt.db'));
  try {
    const stores = createSqliteStores(database.db);
    const cutoffMs = NOW_MS - policy.rawRetentionDays * DAY_MS;
    let batch: StoredReading[] = [];
    for (let m = 0; m < meters; m++) {
      const meterId = `site-a/meter-${String(m).padStart(6, '0')}`;
      for (let k = 1; k <= OLD; k++)
        batch.push({ meterId, tsMs: cutoffMs - k * HOUR_MS, energyKWh: k, receivedAtMs: 0 });
      for (let k = 0; k < KEPT; k++)
        batch.push({ meterId, tsMs: cutoffMs + k * HOUR_MS, energyKWh: k, receivedAtMs: 0 });
      if (batch.length >= 50_000) {
        stores.readings.appendReadings(batch);
        batch = [];
      }
    }
    stores.readings.appendReadings(batch);

    let t0 = performance.now();
    newestStoredDataMs(database.db);
    const newestMs = performance.now() - t0;

    const clock = new ManualClock(NOW_MS - 1000);
    const scheduler = new SimulatedScheduler(clock);
    const log = captureLogger();
    const service = wireRetention({ db: database.db, clock, scheduler, log, policy: () => policy });
    const delay = monitorEventLoopDelay({ resolution: 1 });
    await service.start();
    delay.enable();
    t0 = performance.now();
    await scheduler.advanceTo(NOW_MS);
    const passS = (performance.now() - t0) / 1000;
    delay.disable();
    await service.stop();
    const report = log.lines.find((l) => l.msg?.startsWith('retention: pruned'))?.obj as
      | { removed: { readings: number }; batches: number; longestBatchMs: number }
      | undefined;
    const left = database.db.prepare('SELECT count(*) FROM readings').pluck().get() as number;
    return `| ${meters.toLocaleString('en-US')} | ${(meters * OLD).toLocaleString('en-US')} | ${(report?.removed.readings ?? 0).toLocaleString('en-US')} | ${left.toLocaleString('en-US')} | ${passS.toFixed(2)} s | ${report?.batches ?? 0} | ${report?.longestBatchMs ?? 0} ms | ${(delay.percentile(99) / 1e6).toFixed(1)} / ${(delay.max / 1e6).toFixed(1)} ms | ${newestMs.toFixed(1)} ms |`;
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `retention bench: ${OLD} readings a meter past the ${policy.rawRetentionDays}-day default, ${KEPT} kept\n`,
);
console.log(
  '| meters | readings past retention | pruned | left | pass | batches | longest batch | event-loop delay p99 / max | newest-data query |',
);
console.log('|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const meters of SIZES) console.log(await run(meters));
