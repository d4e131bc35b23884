import type Database from 'better-sqlite3';

/**
 * A real write (one settings row, overwritten each time): it fails the way ingest's writes would,
 * on a read-only file, a full disk or a lost lock.
 */
export function sqliteWriteProbe(db: Database.Database): () => void {
  let n = 0;
  let stmt: Database.Statement | undefined;
  return () => {
    stmt ??= db.prepare(
      `INSERT INTO settings (key, value) VALUES ('readiness.probe', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    n = (n + 1) % 1_000_000;
    stmt.run(String(n));
  };
}
