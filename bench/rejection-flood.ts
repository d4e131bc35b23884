/**
 * What a flood of bad input costs ingest: `--messages` malformed readings (`{"energyKWh":-1}`,
 * rejected as negative) over `--meters` meters through the real IngestService into a SQLite file
 * with its write-ahead inbox and rejection counters, then its stop (the flush that stores the
 * counts). Prints the time and the rejections handled a second, beside the same number of valid
 * readings through the same path (the reference: a rejection should cost no more than a reading
 * stored), and checks that the stored counts add up to the messages.
 *
 *   npm run bench:rejections [-- --messages 100000 --meters 100 --runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../src/adapters/clock/system-clock.js';
import { openSqliteStorage, SqliteInbox, sqliteAtomically } from '../src/adapters/sqlite/index.js';
import type { InboundMessage, MessageHandler } from '../src/ports/message-bus.js';
import { IngestService } from '../src/services/ingest/ingest-service.js';
import { IdleScheduler } from '../test/helpers/idle-scheduler.js';
import { lobbySite } from '../test/helpers/lobby-site.js';
import { captureLogger } from '../test/helpers/logger.js';
import { numberArg } from './args.js';

const MESSAGES = numberArg('messages', 100_000);
const METERS = numberArg('meters', 100);
const RUNS = numberArg('runs', 3);

/** Handles `payloadOf(i)` for every message and stops the service; returns the time taken, ms. */
async function flood(
  payloadOf: (i: number, meter: number) => string,
): Promise<{ ms: number; rejected: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'qw-bench-rejections-'));
  const storage = openSqliteStorage(dir, captureLogger());
  const db = storage.database.db;
  const topics = Array.from({ length: METERS }, (_, i) => `bench/flood/${i}`);
  let handler: MessageHandler = () => undefined;
  const service = new IngestService({
    bus: {
      subscribe: async (_filters, h) => {
        handler = h;
      },
      unsubscribe: async () => undefined,
      publish: async () => undefined,
    },
    clock: new SystemClock(),
    log: captureLogger(),
    scheduler: new IdleScheduler(),
    readings: storage.stores.readings,
    intervals: storage.stores.intervals,
    meterState: storage.stores.meterState,
    rejections: storage.stores.rejections,
    config: { sites: [lobbySite(topics.map((topic, i) => ({ id: `m${i}`, topic })))], rawRetentionDays: 35 },
    maxPayloadBytes: 1024,
    inbox: new SqliteInbox(db),
    atomically: sqliteAtomically(db),
  });
  try {
    await service.start();
    const startMs = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      const meter = i % METERS;
      const message: InboundMessage = {
        topic: topics[meter] as string,
        payload: Buffer.from(payloadOf(i, meter)),
        retained: false,
        receivedAtMs: Date.now(),
      };
      handler(message);
    }
    await service.stop();
    const ms = performance.now() - startMs;
    const rejected = storage.stores.rejections.counts().reduce((sum, c) => sum + c.count, 0);
    return { ms, rejected };
  } finally {
    storage.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const startTs = Date.now() - 2 * 86_400_000;
console.log(
  `rejection flood: ${fmt(MESSAGES)} messages over ${METERS} meters, ${RUNS} runs each, alternating`,
);
console.log('| run | messages | time | per second | stored counts |');
console.log('|---|--:|--:|--:|--:|');
for (let r = 0; r < RUNS; r++) {
  const bad = await flood(() => '{"energyKWh":-1}');
  if (bad.rejected !== MESSAGES) throw new Error(`${bad.rejected} rejections counted of ${MESSAGES}`);
  console.log(
    `| rejected (negative) | ${fmt(MESSAGES)} | ${fmt(bad.ms)} ms | ${fmt((MESSAGES / bad.ms) * 1000)} | ${fmt(bad.rejected)} |`,
  );
  // Valid readings, a minute apart per meter, through the same path (stored, not counted).
  const good = await flood((i, meter) => {
    const n = Math.floor(i / METERS);
    return JSON.stringify({ ts: startTs + n * 60_000, energyKWh: 100 + meter + n * 0.01 });
  });
  console.log(
    `| valid readings (reference) | ${fmt(MESSAGES)} | ${fmt(good.ms)} ms | ${fmt((MESSAGES / good.ms) * 1000)} | ${fmt(good.rejected)} |`,
  );
}
