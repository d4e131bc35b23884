import type Database from 'better-sqlite3';
import type { RetentionStore } from '../../ports/retention.js';

/** Method of ledger rows whose version names a baseline model (`<baseline>@<registry version>`). */
const BASELINE_METHOD = 'baseline';
const BASELINE_MODEL_KIND = 'baseline';

interface ModelCandidate {
  readonly rowid: number;
  readonly site_id: string;
  readonly space_id: string;
  readonly end_use: string;
  readonly model_kind: string;
  readonly version: number;
}

const modelKey = (siteId: string, spaceId: string, endUse: string, version: number | string) =>
  `${siteId}\u0000${spaceId}\u0000${endUse}\u0000${version}`;

/**
 * Each call deletes at most `maxRows` rows through a `rowid IN (SELECT ... LIMIT)` (or key) subquery on
 * an index of the table's time column (readings: on their key, meter by meter), so a call stays short
 * whatever the backlog.
 */
export class SqliteRetentionStore implements RetentionStore {
  private readonly nextReadingMeter: Database.Statement;
  private readonly meterReadings: Database.Statement;
  private readonly samples: Database.Statement;
  private readonly audit: Database.Statement;
  private readonly alerts: Database.Statement;
  private readonly commands: Database.Statement;
  private readonly modelCandidates: Database.Statement;
  private readonly deleteModel: Database.Statement;
  private readonly ledgerVersions: Database.Statement;

  constructor(private readonly db: Database.Database) {
    // Readings have no index on time alone (ingest would pay for it on every reading): they are
    // pruned meter by meter on their (meter, time) key, the next meter found by one seek.
    this.nextReadingMeter = db
      .prepare('SELECT meter_id FROM readings WHERE meter_id > ? ORDER BY meter_id LIMIT 1')
      .pluck();
    this.meterReadings = db.prepare(
      `DELETE FROM readings WHERE meter_id = @meterId AND ts_ms IN
         (SELECT ts_ms FROM readings WHERE meter_id = @meterId AND ts_ms < @beforeMs
          ORDER BY ts_ms LIMIT @maxRows)`,
    );
    this.samples = db.prepare(
      `DELETE FROM sensor_samples WHERE (sensor_id, ts_ms) IN
         (SELECT sensor_id, ts_ms FROM sensor_samples WHERE ts_ms < ? ORDER BY ts_ms LIMIT ?)`,
    );
    // The device's newest decision is one seek on setpoint_audit_device per candidate row.
    this.audit = db.prepare(
      `DELETE FROM setpoint_audit WHERE rowid IN
         (SELECT a.rowid FROM setpoint_audit a
          WHERE a.decided_at_ms < @beforeMs
            AND a.decided_at_ms < (SELECT max(b.decided_at_ms) FROM setpoint_audit b
                                   WHERE b.site_id = a.site_id AND b.space_id = a.space_id
                                     AND b.device_id = a.device_id) - @tailMs
          ORDER BY a.decided_at_ms LIMIT @maxRows)`,
    );
    this.alerts = db.prepare(
      `DELETE FROM alerts WHERE alert_id IN
         (SELECT alert_id FROM alerts
          WHERE cleared_at_ms IS NOT NULL AND cleared_at_ms < @beforeMs
          ORDER BY cleared_at_ms LIMIT @maxRows)`,
    );
    this.commands = db.prepare(
      `DELETE FROM command_log WHERE id IN
         (SELECT id FROM command_log WHERE answered_at_ms < ? ORDER BY answered_at_ms LIMIT ?)`,
    );
    // Versions are handed out as max + 1, so the newest `keep` are exactly those above max - keep.
    this.modelCandidates = db.prepare(
      `SELECT m.rowid, m.site_id, m.space_id, m.end_use, m.model_kind, m.version FROM model_registry m
       WHERE m.rowid > @after
         AND m.version <= (SELECT max(n.version) FROM model_registry n
                           WHERE n.site_id = m.site_id AND n.space_id = m.space_id
                             AND n.end_use = m.end_use AND n.model_kind = m.model_kind) - @keep
       ORDER BY m.rowid LIMIT @maxRows`,
    );
    this.deleteModel = db.prepare('DELETE FROM model_registry WHERE rowid = ?');
    // The daily sums list each day's versions: a short read next to the hourly rows.
    this.ledgerVersions = db.prepare(
      `SELECT DISTINCT site_id, space_id, end_use, versions FROM savings_ledger_daily WHERE method = ?`,
    );
  }

  pruneReadings(
    beforeMs: number,
    maxRows: number,
    afterMeterId: string,
  ): { readonly removed: number; readonly nextCursor?: string } {
    return this.db.transaction(() => {
      let removed = 0;
      let cursor = afterMeterId;
      for (let looked = 0; looked < maxRows; looked++) {
        const meterId = this.nextReadingMeter.get(cursor) as string | undefined;
        if (meterId === undefined) return { removed };
        removed += this.meterReadings.run({ meterId, beforeMs, maxRows: maxRows - removed }).changes;
        // A full batch may have left some of this meter's rows: the next call looks at it again.
        if (removed >= maxRows) return { removed, nextCursor: cursor };
        cursor = meterId;
      }
      return { removed, nextCursor: cursor };
    })();
  }

  pruneSensorSamples(beforeMs: number, maxRows: number): number {
    return this.samples.run(beforeMs, maxRows).changes;
  }

  pruneAudit(beforeMs: number, deviceTailMs: number, maxRows: number): number {
    return this.audit.run({ beforeMs, tailMs: deviceTailMs, maxRows }).changes;
  }

  pruneClearedAlerts(beforeMs: number, maxRows: number): number {
    return this.alerts.run({ beforeMs, maxRows }).changes;
  }

  pruneCommands(beforeMs: number, maxRows: number): number {
    return this.commands.run(beforeMs, maxRows).changes;
  }

  pruneModelVersions(
    keep: number,
    maxRows: number,
    afterCursor: number,
  ): { readonly removed: number; readonly nextCursor?: number } {
    const candidates = this.modelCandidates.all({ after: afterCursor, keep, maxRows }) as ModelCandidate[];
    if (candidates.length === 0) return { removed: 0 };
    const named = candidates.some((c) => c.model_kind === BASELINE_MODEL_KIND)
      ? this.baselineVersionsNamed()
      : new Set<string>();
    let removed = 0;
    this.db.transaction(() => {
      for (const c of candidates) {
        const isNamed =
          c.model_kind === BASELINE_MODEL_KIND &&
          named.has(modelKey(c.site_id, c.space_id, c.end_use, c.version));
        if (!isNamed) removed += this.deleteModel.run(c.rowid).changes;
      }
    })();
    const last = candidates.at(-1);
    return candidates.length < maxRows || last === undefined
      ? { removed }
      : { removed, nextCursor: last.rowid };
  }

  /** Every baseline model version a ledger row names: savings figures show its statistics. */
  private baselineVersionsNamed(): Set<string> {
    const named = new Set<string>();
    const rows = this.ledgerVersions.all(BASELINE_METHOD) as {
      site_id: string;
      space_id: string;
      end_use: string;
      versions: string;
    }[];
    for (const r of rows) {
      for (const v of r.versions.split(',')) {
        const at = v.lastIndexOf('@');
        if (at >= 0) named.add(modelKey(r.site_id, r.space_id, r.end_use, v.slice(at + 1)));
      }
    }
    return named;
  }
}
