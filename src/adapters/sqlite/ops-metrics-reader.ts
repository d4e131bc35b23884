import type Database from 'better-sqlite3';
import { SAVINGS_METHODS } from '../../domain/savings/ledger.js';

/**
 * Figures the metrics endpoint reads from the store, each an index seek or a short range scan:
 * the newest ledger hour, and setpoints published and acknowledged among those decided in a range.
 */
export class SqliteOpsMetricsReader {
  private readonly newestHour: Database.Statement;
  private readonly setpoints: Database.Statement;

  constructor(db: Database.Database) {
    this.newestHour = db
      .prepare('SELECT MAX(hour_start_ms) FROM savings_ledger WHERE kind = ? AND method = ?')
      .pluck();
    this.setpoints = db.prepare(
      `SELECT COUNT(published_at_ms) AS published, COUNT(acknowledged_at_ms) AS acknowledged
       FROM setpoint_audit WHERE decided_at_ms >= ? AND decided_at_ms < ?`,
    );
  }

  /** Start of the newest hour in the ledger, any kind and method; null when empty. */
  newestLedgerHourMs(): number | null {
    let newest: number | null = null;
    for (const kind of ['measured', 'estimated'])
      for (const method of SAVINGS_METHODS) {
        const v = this.newestHour.get(kind, method) as number | null;
        if (v !== null && (newest === null || v > newest)) newest = v;
      }
    return newest;
  }

  setpointCounts(fromMs: number, toMs: number): { published: number; acknowledged: number } {
    return this.setpoints.get(fromMs, toMs) as { published: number; acknowledged: number };
  }
}
