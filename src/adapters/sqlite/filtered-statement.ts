import type Database from 'better-sqlite3';

export type SqlValue = string | number | null;

/**
 * Prepares one statement per combination of optional equality filters. A single statement with
 * `(@x IS NULL OR col = @x)` would be simpler, but SQLite cannot use an index through such an OR
 * and would scan the whole table; with at most a few filters, the combinations stay few.
 */
export class FilteredStatement {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    /** Optional filter name -> column, in the order conditions are written. */
    private readonly columns: Readonly<Record<string, string>>,
    /** The statement, given the extra conditions (each starting with ' AND '). */
    private readonly sql: (conditions: string) => string,
  ) {}

  /** Binds the fixed parameters and whichever optional filters are defined. */
  bind(
    fixed: Readonly<Record<string, SqlValue>>,
    optional: Readonly<Record<string, string | undefined>>,
  ): { readonly statement: Database.Statement; readonly params: Record<string, SqlValue> } {
    const names = Object.keys(this.columns).filter((n) => optional[n] !== undefined);
    const key = names.join(',');
    let statement = this.cache.get(key);
    if (statement === undefined) {
      const conditions = names.map((n) => ` AND ${this.columns[n]} = @${n}`).join('');
      statement = this.db.prepare(this.sql(conditions));
      this.cache.set(key, statement);
    }
    const params: Record<string, SqlValue> = { ...fixed };
    for (const n of names) params[n] = optional[n] ?? null;
    return { statement, params };
  }

  all(
    fixed: Readonly<Record<string, SqlValue>>,
    optional: Readonly<Record<string, string | undefined>>,
  ): unknown[] {
    const { statement, params } = this.bind(fixed, optional);
    return statement.all(params);
  }
}
