import type Database from 'better-sqlite3';
import { ALERT_KINDS, ALERT_SEVERITIES, type Alert, type AlertKind } from '../../domain/alerts/alert.js';
import type { AlertQuery, AlertStore } from '../../ports/operations.js';
import { ERR_BAD_ROW, SqliteStoreError } from './errors.js';
import { FilteredStatement } from './filtered-statement.js';

interface AlertSqlRow {
  key: string;
  kind: string;
  site_id: string | null;
  space_id: string | null;
  severity: string;
  message: string;
  since_ms: number;
  cleared_at_ms: number | null;
}

const KINDS = new Set<string>(ALERT_KINDS);
const SEVERITIES = new Set<string>(ALERT_SEVERITIES);

function toAlert(r: AlertSqlRow): Alert {
  if (!KINDS.has(r.kind) || !SEVERITIES.has(r.severity))
    throw new SqliteStoreError(
      ERR_BAD_ROW,
      `alert ${r.key}: unknown kind "${r.kind}" or severity "${r.severity}"`,
    );
  return {
    key: r.key,
    kind: r.kind as AlertKind,
    siteId: r.site_id,
    spaceId: r.space_id,
    severity: r.severity as Alert['severity'],
    message: r.message,
    sinceMs: r.since_ms,
    clearedAtMs: r.cleared_at_ms,
  };
}

export const ALERT_QUERY_MAX_LIMIT = 1000;

/** Alert records: an occurrence is identified by its key and when it began. */
export class SqliteAlertStore implements AlertStore {
  private readonly update: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly open: Database.Statement;
  private readonly openOnly: FilteredStatement;
  private readonly withCleared: FilteredStatement;

  constructor(db: Database.Database) {
    this.update = db.prepare(
      `UPDATE alerts SET kind = @kind, site_id = @siteId, space_id = @spaceId, severity = @severity,
         message = @message, cleared_at_ms = @clearedAtMs
       WHERE key = @key AND since_ms = @sinceMs`,
    );
    this.insert = db.prepare(
      `INSERT INTO alerts (key, kind, site_id, space_id, severity, message, since_ms, cleared_at_ms)
       VALUES (@key, @kind, @siteId, @spaceId, @severity, @message, @sinceMs, @clearedAtMs)`,
    );
    this.open = db.prepare('SELECT * FROM alerts WHERE cleared_at_ms IS NULL ORDER BY since_ms, alert_id');
    const columns = { siteId: 'site_id', spaceId: 'space_id', kind: 'kind' };
    this.openOnly = new FilteredStatement(
      db,
      columns,
      (c) =>
        `SELECT * FROM alerts WHERE cleared_at_ms IS NULL${c} ORDER BY since_ms DESC, alert_id DESC LIMIT @limit`,
    );
    this.withCleared = new FilteredStatement(
      db,
      columns,
      (c) =>
        `SELECT * FROM alerts WHERE (cleared_at_ms IS NULL OR cleared_at_ms >= @sinceMs)${c}
         ORDER BY since_ms DESC, alert_id DESC LIMIT @limit`,
    );
  }

  upsert(alert: Alert): void {
    const params = { ...alert };
    if (this.update.run(params).changes === 0) this.insert.run(params);
  }

  openAlerts(): Alert[] {
    return (this.open.all() as AlertSqlRow[]).map(toAlert);
  }

  alerts(query: AlertQuery): Alert[] {
    const limit = Math.max(1, Math.min(ALERT_QUERY_MAX_LIMIT, Math.floor(query.limit ?? 100)));
    const filters = { siteId: query.siteId, spaceId: query.spaceId, kind: query.kind };
    const rows =
      query.open === false
        ? this.withCleared.all({ limit, sinceMs: query.sinceMs ?? 0 }, filters)
        : this.openOnly.all({ limit }, filters);
    return (rows as AlertSqlRow[]).map(toAlert);
  }
}
