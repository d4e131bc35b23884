import type Database from 'better-sqlite3';
import { type Atomically, type Inbox, type InboxRow, UNROUTED } from '../../ports/inbox.js';
import type { InboundMessage } from '../../ports/message-bus.js';

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
  private readonly insertAll: (consumers: readonly string[], message: InboundMessage) => number[];
  private readonly selectPending: Database.Statement;
  private readonly copy: Database.Statement;
  private readonly deleteUnrouted: Database.Statement;
  private readonly deleteOne: Database.Statement;
  private readonly deleteMany: (seqs: readonly number[]) => void;
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.selectPending = db.prepare(
      `SELECT seq, topic, payload, retained, received_at_ms FROM inbound_inbox
       WHERE consumer = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    this.copy = db.prepare(
      `INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms)
       SELECT ?, topic, payload, retained, received_at_ms FROM inbound_inbox WHERE seq = ?`,
    );
    this.deleteUnrouted = db.prepare('DELETE FROM inbound_inbox WHERE consumer = ?');
    this.deleteOne = db.prepare('DELETE FROM inbound_inbox WHERE seq = ?');
    this.insertAll = db.transaction((consumers: readonly string[], message: InboundMessage) =>
      consumers.map((c) => this.insertOne(c, message)),
    );
    this.deleteMany = db.transaction((seqs: readonly number[]) => {
      for (const seq of seqs) this.deleteOne.run(seq);
    });
  }

  append(consumers: readonly string[], message: InboundMessage): number[] {
    // One consumer is the usual case: a single statement needs no transaction of its own.
    const only = consumers.length === 1 ? consumers[0] : undefined;
    return only !== undefined ? [this.insertOne(only, message)] : this.insertAll(consumers, message);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  pending(consumer: string, afterSeq: number, limit: number): InboxRow[] {
    return (this.selectPending.all(consumer, afterSeq, limit) as Row[]).map((r) => ({
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
    return this.deleteUnrouted.run(UNROUTED).changes;
  }

  release(seqs: readonly number[]): void {
    if (seqs.length > 0) this.deleteMany(seqs);
  }

  private insertOne(consumer: string, m: InboundMessage): number {
    const payload = Buffer.isBuffer(m.payload)
      ? m.payload
      : Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength);
    return Number(
      this.insert.run(consumer, m.topic, payload, m.retained ? 1 : 0, m.receivedAtMs).lastInsertRowid,
    );
  }
}

/** One transaction over the connection; nested calls become savepoints of the outer one. */
export function sqliteAtomically(db: Database.Database): Atomically {
  return <T>(fn: () => T): T => db.transaction(fn)();
}
