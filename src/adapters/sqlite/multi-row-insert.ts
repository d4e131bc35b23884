import type Database from 'better-sqlite3';

export type SqlParam = string | number | Buffer | null;

/** Rows a statement carries: 64 rows of a few columns stay far under SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 64;

/**
 * An INSERT of many rows at a time. A statement a row costs a call into SQLite and a reset each;
 * one statement of 64 rows stores a flush's readings (grouped by meter) two to three times as fast
 * (bench:sqlite). Not for every pattern: rows whose keys jump about (meters interleaved) went
 * slower, and so did upserts onto existing keys, so interval rows keep a statement a row. Each
 * statement's result is passed to `ran` with its row count. Call it inside a transaction.
 */
export function multiRowInsert<T>(
  db: Database.Database,
  sql: { readonly head: string; readonly columns: number; readonly tail: string },
  bind: (row: T, params: SqlParam[], at: number) => void,
): (rows: readonly T[], ran?: (rows: number, result: Database.RunResult) => void) => void {
  const values = (rows: number) =>
    Array.from({ length: rows }, () => `(${new Array(sql.columns).fill('?').join(', ')})`).join(', ');
  const many = db.prepare(`${sql.head} VALUES ${values(ROWS_PER_STATEMENT)} ${sql.tail}`);
  const one = db.prepare(`${sql.head} VALUES ${values(1)} ${sql.tail}`);
  const manyParams: SqlParam[] = new Array(ROWS_PER_STATEMENT * sql.columns);
  const oneParams: SqlParam[] = new Array(sql.columns);
  return (rows, ran) => {
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      for (let k = 0; k < ROWS_PER_STATEMENT; k++) bind(rows[i + k] as T, manyParams, k * sql.columns);
      const result = many.run(manyParams);
      ran?.(ROWS_PER_STATEMENT, result);
    }
    for (; i < rows.length; i++) {
      bind(rows[i] as T, oneParams, 0);
      const result = one.run(oneParams);
      ran?.(1, result);
    }
  };
}
