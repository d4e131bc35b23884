import type Database from 'better-sqlite3';
import { type Atomically, type Inbox, type InboxAppend, type InboxRow, UNROUTED } from '../../ports/inbox.js';
import type { InboundMessage } from '../../ports/message-bus.js';
import { multiRowInsert } from './multi-row-insert.js';

interface Row {
  seq: number;
  topic: string;
  payload: Buffer;
  retained: number;
  received_at_ms: number;
}

/**
 * The write-ahead inbox in the service's SQLite file (migration 010). An append is one prepared
 * INSERT, a burst of them one transaction (WAL, synchronous=NORMAL): a commit survives a crash or
 * kill of the process as soon as it returns, as its pages are then in the WAL file (in the
 * operating system's cache); a power cut may lose the commits since the last checkpoint's sync.
 */
export class SqliteInbox implements Inbox {
  private readonly insert: Database.Statement;
  private readonly insertRows: (appends: readonly InboxAppend[]) => number[][];
  private readonly selectPending: Database.Statement;
  private readonly selectUnrouted: Database.Statement;
  private readonly copy: Database.Statement;
  private readonly deleteUnrouted: Database.Statement;
  private readonly deleteOne: Database.Statement;
  private readonly deleteRange: Database.Statement;
  private readonly deleteMany: (seqs: readonly number[]) => void;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.selectPending = db.prepare(
      `SELECT seq, topic, payload, retained, received_at_ms FROM inbound_inbox
       WHERE consumer = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    // The consumer as a literal, so that the partial index of unrouted rows (migration 012) serves it.
    this.selectUnrouted = db.prepare(
      `SELECT seq, topic, payload, retained, received_at_ms FROM inbound_inbox
       WHERE consumer = '' AND seq > ? ORDER BY seq LIMIT ?`,
    );
    this.copy = db.prepare(
      `INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms)
       SELECT ?, topic, payload, retained, received_at_ms FROM inbound_inbox WHERE seq = ?`,
    );
    this.deleteUnrouted = db.prepare("DELETE FROM inbound_inbox WHERE consumer = ''");
    this.deleteOne = db.prepare('DELETE FROM inbound_inbox WHERE seq = ?');
    this.deleteRange = db.prepare('DELETE FROM inbound_inbox WHERE seq BETWEEN ? AND ?');
    const insertMany = multiRowInsert<{ readonly consumer: string; readonly message: InboundMessage }>(
      db,
      {
        head: 'INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms)',
        columns: 5,
        tail: '',
      },
      ({ consumer, message }, params, at) => {
        params[at] = consumer;
        params[at + 1] = message.topic;
        params[at + 2] = payloadBuffer(message);
        params[at + 3] = message.retained ? 1 : 0;
        params[at + 4] = message.receivedAtMs;
      },
    );
    const lastSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'inbound_inbox'").pluck();
    // The seqs of one statement's rows are consecutive, after the last seq handed out and ending at
    // its last insert rowid: SQLite gives each new row of an AUTOINCREMENT key the largest so far
    // plus one. Checked all the same, since a wrong seq would release another message's row: a
    // statement whose rows are not exactly those seqs throws, and the burst is not stored.
    this.insertRows = db.transaction((appends: readonly InboxAppend[]) => {
      const rows: { consumer: string; message: InboundMessage }[] = [];
      for (const { consumers, message } of appends)
        for (const consumer of consumers) rows.push({ consumer, message });
      const seqs: number[] = [];
      let previous = Number(lastSeq.get() ?? 0);
      insertMany(rows, (count, result) => {
        const last = Number(result.lastInsertRowid);
        if (last !== previous + count || result.changes !== count)
          throw new Error(`inbox seqs not consecutive: ${count} rows after ${previous} ended at ${last}`);
        for (let seq = previous + 1; seq <= last; seq++) seqs.push(seq);
        previous = last;
      });
      let at = 0;
      return appends.map(({ consumers }) => {
        const own = seqs.slice(at, at + consumers.length);
        at += consumers.length;
        return own;
      });
    });
    // A run of consecutive seqs (a burst's rows are appended one after another) is one ranged
    // DELETE, which removes exactly those rows.
    this.deleteMany = db.transaction((seqs: readonly number[]) => {
      const sorted = isAscending(seqs) ? seqs : [...seqs].sort((a, b) => a - b);
      for (let i = 0; i < sorted.length; ) {
        const first = sorted[i] as number;
        let last = first;
        let j = i + 1;
        while (j < sorted.length && sorted[j] === last + 1) last = sorted[j++] as number;
        if (last === first) this.deleteOne.run(first);
        else this.deleteRange.run(first, last);
        i = j;
      }
    });
  }

  append(consumers: readonly string[], message: InboundMessage): number[] {
    // One consumer is the usual case: a single statement needs no transaction of its own.
    const only = consumers.length === 1 ? consumers[0] : undefined;
    return only !== undefined
      ? [this.insertOne(only, message)]
      : (this.appendAll([{ consumers, message }])[0] ?? []);
  }

  appendAll(appends: readonly InboxAppend[]): number[][] {
    return appends.length > 0 ? this.insertRows(appends) : [];
  }

  pending(consumer: string, afterSeq: number, limit: number): InboxRow[] {
    const rows =
      consumer === UNROUTED
        ? this.selectUnrouted.all(afterSeq, limit)
        : this.selectPending.all(consumer, afterSeq, limit);
    return (rows as Row[]).map((r) => ({
      seq: r.seq,
      topic: r.topic,
      payload: r.payload,
      retained: r.retained !== 0,
      receivedAtMs: r.received_at_ms,
    }));
  }

  route(seq: number, consumer: string): number {
    return Number(this.copy.run(consumer, seq).lastInsertRowid);
  }

  dropUnrouted(): number {
    return this.deleteUnrouted.run().changes;
  }

  release(seqs: readonly number[]): void {
    if (seqs.length > 0) this.deleteMany(seqs);
  }

  private insertOne(consumer: string, m: InboundMessage): number {
    return Number(
      this.insert.run(consumer, m.topic, payloadBuffer(m), m.retained ? 1 : 0, m.receivedAtMs)
        .lastInsertRowid,
    );
  }
}

/** The payload as a Buffer over the same bytes, which better-sqlite3 binds as a BLOB. */
function payloadBuffer(m: InboundMessage): Buffer {
  return Buffer.isBuffer(m.payload)
    ? m.payload
    : Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength);
}

function isAscending(seqs: readonly number[]): boolean {
  for (let i = 1; i < seqs.length; i++) if ((seqs[i] as number) < (seqs[i - 1] as number)) return false;
  return true;
}

/** One transaction over the connection; nested calls become savepoints of the outer one. */
export function sqliteAtomically(db: Database.Database): Atomically {
  return <T>(fn: () => T): T => db.transaction(fn)();
}
