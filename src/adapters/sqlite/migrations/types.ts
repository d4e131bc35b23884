import type Database from 'better-sqlite3';

/** One schema step. `up` runs inside a transaction together with its record in schema_migrations. */
export interface Migration {
  /** 1, 2, 3, ... with no gaps: the list's order is the apply order. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
