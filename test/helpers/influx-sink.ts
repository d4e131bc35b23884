import Database from 'better-sqlite3';
import { OutboxSink, type OutboxSinkOptions } from '../../src/adapters/influx/outbox-sink.js';
import { migration009InfluxOutbox } from '../../src/adapters/sqlite/migrations/009-influx-outbox.js';
import { SqlitePointOutbox } from '../../src/adapters/sqlite/point-outbox-store.js';
import type { AlertRaise } from '../../src/domain/alerts/alert.js';
import type { AlertSink } from '../../src/ports/operations.js';
import type { LineWriter, WriteOutcome } from '../../src/ports/series-export.js';
import { captureLogger } from './logger.js';

/** A SQLite file (or memory) with the outbox tables of migration 009. */
export function outboxDatabase(path = ':memory:'): Database.Database {
  const db = new Database(path);
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'influx_outbox'").get();
  if (!has) migration009InfluxOutbox.up(db);
  return db;
}

/** Alerts as raised and cleared, newest state per kind. */
export class RecordingAlerts implements AlertSink {
  readonly raised: AlertRaise[] = [];
  readonly open = new Map<string, AlertRaise>();
  raise(alert: AlertRaise): void {
    this.raised.push(alert);
    this.open.set(alert.kind, alert);
  }
  clear(alert: Pick<AlertRaise, 'kind'>): void {
    this.open.delete(alert.kind);
  }
}

/** Wraps a writer and keeps every line the server took, in the order it took them. */
export class RecordingWriter implements LineWriter {
  readonly taken: string[] = [];
  readonly outcomes: WriteOutcome['kind'][] = [];
  constructor(private readonly inner: LineWriter) {}
  async send(lines: readonly string[]): Promise<WriteOutcome> {
    const outcome = await this.inner.send(lines);
    this.outcomes.push(outcome.kind);
    if (outcome.kind === 'written') this.taken.push(...lines);
    return outcome;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export const FAST_OPTIONS: OutboxSinkOptions = {
  batchLines: 50,
  flushMs: 20,
  firstBackoffMs: 20,
  maxBackoffMs: 200,
  maxOutboxLines: 100_000,
  maxDeadLetters: 100,
  alertAfterMs: 0,
};

export function makeSink(
  db: Database.Database,
  writer: LineWriter,
  options: Partial<OutboxSinkOptions> = {},
): { sink: OutboxSink; outbox: SqlitePointOutbox; alerts: RecordingAlerts } {
  const outbox = new SqlitePointOutbox(db);
  const alerts = new RecordingAlerts();
  const sink = new OutboxSink({
    outbox,
    writer,
    clock: { now: () => Date.now() },
    alerts,
    log: captureLogger(),
    options: { ...FAST_OPTIONS, ...options },
  });
  return { sink, outbox, alerts };
}

/** Waits until the condition holds (polling), or fails after `ms`. */
export async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
