import type Database from 'better-sqlite3';
import type {
  ControlMode,
  SetpointAuditEntry,
  SetpointAuditQuery,
  SetpointAuditStore,
} from '../../ports/stores.js';
import { FilteredStatement } from './filtered-statement.js';

/** A setpoint_audit row as SQLite returns it. */
export interface AuditSqlRow {
  id: string;
  site_id: string;
  space_id: string;
  device_id: string;
  kind: string;
  value_json: string;
  reason: string;
  mode: string;
  inputs_json: string;
  decided_at_ms: number;
  valid_until_ms: number;
  published_at_ms: number | null;
  acknowledged_at_ms: number | null;
  plan_id: string;
}

export function toEntry(r: AuditSqlRow): SetpointAuditEntry {
  return {
    id: r.id,
    siteId: r.site_id,
    spaceId: r.space_id,
    deviceId: r.device_id,
    kind: r.kind,
    valueJson: r.value_json,
    reason: r.reason,
    mode: r.mode as ControlMode,
    inputsJson: r.inputs_json,
    decidedAtMs: r.decided_at_ms,
    validUntilMs: r.valid_until_ms,
    planId: r.plan_id,
    publishedAtMs: r.published_at_ms,
    acknowledgedAtMs: r.acknowledged_at_ms,
  };
}

/** Every setpoint decided, whether and when it was published and acknowledged. */
export class SqliteSetpointAuditStore implements SetpointAuditStore {
  private readonly insert: Database.Statement;
  private readonly published: Database.Statement;
  private readonly acknowledged: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly select: FilteredStatement;
  private readonly latest: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO setpoint_audit (id, site_id, space_id, device_id, kind, value_json, reason, mode,
         inputs_json, decided_at_ms, valid_until_ms, published_at_ms, acknowledged_at_ms, plan_id)
       VALUES (@id, @siteId, @spaceId, @deviceId, @kind, @valueJson, @reason, @mode,
         @inputsJson, @decidedAtMs, @validUntilMs, @publishedAtMs, @acknowledgedAtMs, @planId)`,
    );
    // The first publish and the first echo count: retries and repeated state reports change nothing.
    this.published = db.prepare(
      'UPDATE setpoint_audit SET published_at_ms = coalesce(published_at_ms, ?) WHERE id = ?',
    );
    this.acknowledged = db.prepare(
      'UPDATE setpoint_audit SET acknowledged_at_ms = coalesce(acknowledged_at_ms, ?) WHERE id = ?',
    );
    this.byId = db.prepare('SELECT * FROM setpoint_audit WHERE id = ?');
    this.select = new FilteredStatement(
      db,
      { siteId: 'site_id', spaceId: 'space_id', deviceId: 'device_id' },
      (conditions) => `SELECT * FROM setpoint_audit
        WHERE decided_at_ms >= @fromMs AND decided_at_ms < @toMs${conditions}
        ORDER BY decided_at_ms, id LIMIT @limit`,
    );
    this.latest = db.prepare(
      `SELECT * FROM setpoint_audit WHERE site_id = ? AND space_id = ? AND device_id = ?
       ORDER BY decided_at_ms DESC, id DESC LIMIT 1`,
    );
  }

  record(entry: SetpointAuditEntry): void {
    this.insert.run({ ...entry });
  }

  markPublished(id: string, atMs: number): boolean {
    return this.published.run(atMs, id).changes > 0;
  }

  markAcknowledged(id: string, atMs: number): boolean {
    return this.acknowledged.run(atMs, id).changes > 0;
  }

  get(id: string): SetpointAuditEntry | undefined {
    const row = this.byId.get(id) as AuditSqlRow | undefined;
    return row === undefined ? undefined : toEntry(row);
  }

  query(q: SetpointAuditQuery): SetpointAuditEntry[] {
    const rows = this.select.all(
      { fromMs: q.fromMs, toMs: q.toMs, limit: q.limit ?? -1 },
      { siteId: q.siteId, spaceId: q.spaceId, deviceId: q.deviceId },
    ) as AuditSqlRow[];
    return rows.map(toEntry);
  }

  latestForDevice(siteId: string, spaceId: string, deviceId: string): SetpointAuditEntry | undefined {
    const row = this.latest.get(siteId, spaceId, deviceId) as AuditSqlRow | undefined;
    return row === undefined ? undefined : toEntry(row);
  }
}
