/**
 * The ingest path as the service wires it (persistent-session bus with the SQLite inbox, the ingest
 * service, the SQLite stores), run in its own process so a test can kill it with SIGKILL.
 * argv: broker URL, client id, meter topic, storage dir, flush period in seconds, and optionally a
 * meter count N: then meters m1..mN report on <topic>/m1..<topic>/mN instead of m1 on the topic.
 * Prints `ready` once subscribed; SIGTERM stops it cleanly. Warnings and errors go to stderr as
 * JSON lines, so a test can see what the process went through (a held acknowledgement, a failed write).
 */
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { openSqliteStorage, SqliteInbox, sqliteAtomically } from '../../src/adapters/sqlite/index.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Job, JobTiming, ScheduledJob, Scheduler } from '../../src/ports/scheduler.js';
import { IngestService } from '../../src/services/ingest/ingest-service.js';
import { lobbySite } from './lobby-site.js';

const [url, clientId, topic, dir, flushSeconds, meterCount] = process.argv.slice(2);
if (!url || !clientId || !topic || !dir || !flushSeconds)
  throw new Error('usage: url clientId topic dir flushSeconds');

/** Interval jobs on plain timers. */
class TimerScheduler implements Scheduler {
  schedule(name: string, timing: JobTiming, job: Job): ScheduledJob {
    const everyMs = 'everySeconds' in timing && timing.everySeconds ? timing.everySeconds * 1000 : 60_000;
    const timer = setInterval(() => void job(), everyMs);
    return { name, cancel: () => clearInterval(timer) };
  }
  async stop(): Promise<void> {}
}

/** Warnings and errors as JSON lines on stderr; the rest is dropped. */
function stderrLogger(bindings: Record<string, unknown> = {}): Logger {
  const loud = (level: 'warn' | 'error') => (obj: object, msg?: string) => {
    process.stderr.write(`${JSON.stringify({ level, msg, ...bindings, ...obj })}\n`);
  };
  const quiet = () => undefined;
  return {
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: loud('warn'),
    error: loud('error'),
    child: (more) => stderrLogger({ ...bindings, ...more }),
  };
}

const log = stderrLogger();
const clock = new SystemClock();
const storage = openSqliteStorage(dir, log);
const db = storage.database.db;
const bus = new MqttBus(
  {
    url,
    clientId,
    protocolVersion: 4,
    persistentSession: true,
    sessionExpirySeconds: 300,
    inbox: new SqliteInbox(db),
  },
  clock,
  log,
);
await bus.start();
const meters =
  meterCount === undefined
    ? [{ id: 'm1', topic }]
    : Array.from({ length: Number(meterCount) }, (_, i) => ({
        id: `m${i + 1}`,
        topic: `${topic}/m${i + 1}`,
      }));
const sites = [lobbySite(meters)];
const service = new IngestService({
  bus,
  clock,
  log,
  scheduler: new TimerScheduler(),
  readings: storage.stores.readings,
  intervals: storage.stores.intervals,
  meterState: storage.stores.meterState,
  config: { sites, rawRetentionDays: 35 },
  maxPayloadBytes: 1024,
  flushEverySeconds: Number(flushSeconds),
  inbox: new SqliteInbox(db),
  atomically: sqliteAtomically(db),
});
await service.start();
bus.settle();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void (async () => {
    await service.stop();
    await bus.stop();
    storage.database.close();
    process.exit(0);
  })();
});
