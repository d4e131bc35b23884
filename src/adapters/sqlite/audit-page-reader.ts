import type Database from 'better-sqlite3';
import type { SetpointAuditEntry } from '../../ports/stores.js';
import { type AuditSqlRow, toEntry } from './setpoint-audit-store.js';

export interface AuditPageQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly siteId?: string;
  readonly spaceId?: string;
  readonly deviceId?: string;
  /** Resume strictly after this (decidedAtMs, id). */
  readonly after?: { readonly decidedAtMs: number; readonly id: string };
  readonly limit: number;
}

/**
 * Keyset pages of the setpoint audit log, ordered by (decision time, id): each page is one indexed
 * range scan of at most `limit` rows, however deep the reader has paged, so no request runs long.
 */
export class SqliteAuditPageReader {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  page(q: AuditPageQuery): SetpointAuditEntry[] {
    const where = ['decided_at_ms >= @fromMs', 'decided_at_ms < @toMs'];
    // After a cursor the range itself starts at the cursor's time, so a deep page is still one short
    // index range, not a scan from the first page.
    const fromMs = q.after ? Math.max(q.fromMs, q.after.decidedAtMs) : q.fromMs;
    const params: Record<string, string | number> = { fromMs, toMs: q.toMs, limit: q.limit };
    if (q.siteId !== undefined) {
      // Unary plus: the site alone must not pick the device index, whose order needs a full sort.
      where.push('+site_id = @siteId');
      params.siteId = q.siteId;
    }
    if (q.spaceId !== undefined) {
      where.push('space_id = @spaceId');
      params.spaceId = q.spaceId;
    }
    if (q.deviceId !== undefined) {
      where.push('device_id = @deviceId');
      params.deviceId = q.deviceId;
    }
    if (q.after) {
      where.push('(decided_at_ms > @afterMs OR (decided_at_ms = @afterMs AND id > @afterId))');
      params.afterMs = q.after.decidedAtMs;
      params.afterId = q.after.id;
    }
    const sql = `SELECT * FROM setpoint_audit WHERE ${where.join(' AND ')}
                 ORDER BY decided_at_ms, id LIMIT @limit`;
    // At most 16 filter shapes: prepare each once.
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return (stmt.all(params) as AuditSqlRow[]).map(toEntry);
  }
}
