import type Database from 'better-sqlite3';
import type { DeadLetter, OutboxEntry, PointOutbox, Refusal } from '../../ports/series-export.js';

interface EntryRow {
  id: number;
  line: string;
  enqueued_at_ms: number;
}

/** The sink's outbox in the service's SQLite file (migration 009): one row per line. */
export class SqlitePointOutbox implements PointOutbox {
  private readonly insert: Database.Statement;
  private readonly insertDead: Database.Statement;
  private readonly deleteOne: Database.Statement;
  private readonly selectHead: Database.Statement;
  private readonly dropOldest: Database.Statement;
  private readonly pruneDead: Database.Statement;
  // Counted once, then kept: count(*) would scan a long outbox on every append.
  private count: number;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO influx_outbox (line, enqueued_at_ms) VALUES (?, ?)');
    this.insertDead = db.prepare(
      `INSERT INTO influx_dead_letter (line, status, reason, enqueued_at_ms, failed_at_ms)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.deleteOne = db.prepare('DELETE FROM influx_outbox WHERE id = ?');
    this.selectHead = db.prepare('SELECT id, line, enqueued_at_ms FROM influx_outbox ORDER BY id LIMIT ?');
    this.dropOldest = db.prepare(
      'DELETE FROM influx_outbox WHERE id IN (SELECT id FROM influx_outbox ORDER BY id LIMIT ?)',
    );
    this.pruneDead = db.prepare(
      `DELETE FROM influx_dead_letter WHERE id <= (
         SELECT id FROM influx_dead_letter ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    this.count = (db.prepare('SELECT count(*) AS n FROM influx_outbox').get() as { n: number }).n;
  }

  append(lines: readonly string[], atMs: number, maxLines: number): number {
    if (lines.length === 0) return 0;
    return this.db.transaction(() => {
      for (const line of lines) this.insert.run(line, atMs);
      this.count += lines.length;
      const excess = Math.max(0, this.count - maxLines);
      if (excess > 0) this.count -= this.dropOldest.run(excess).changes;
      return excess;
    })();
  }

  head(limit: number): OutboxEntry[] {
    return (this.selectHead.all(limit) as EntryRow[]).map((r) => ({
      id: r.id,
      line: r.line,
      enqueuedAtMs: r.enqueued_at_ms,
    }));
  }

  remove(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const id of ids) this.count -= this.deleteOne.run(id).changes;
    })();
  }

  deadLetter(entries: readonly OutboxEntry[], refusal: Refusal, atMs: number, maxDead: number): void {
    if (entries.length === 0) return;
    this.db.transaction(() => {
      for (const e of entries) {
        this.insertDead.run(e.line, refusal.status, refusal.reason, e.enqueuedAtMs, atMs);
        this.count -= this.deleteOne.run(e.id).changes;
      }
      this.pruneDead.run(maxDead);
    })();
  }

  size(): number {
    return this.count;
  }

  deadLetterCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM influx_dead_letter').get() as { n: number }).n;
  }

  deadLetters(limit: number): DeadLetter[] {
    const rows = this.db
      .prepare(
        `SELECT line, status, reason, enqueued_at_ms, failed_at_ms
         FROM influx_dead_letter ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as {
      line: string;
      status: number | null;
      reason: string;
      enqueued_at_ms: number;
      failed_at_ms: number;
    }[];
    return rows.map((r) => ({
      line: r.line,
      status: r.status,
      reason: r.reason,
      enqueuedAtMs: r.enqueued_at_ms,
      failedAtMs: r.failed_at_ms,
    }));
  }
}
