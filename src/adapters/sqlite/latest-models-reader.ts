import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../ports/stores.js';
import { type ModelSqlRow, toRecord } from './model-registry-store.js';

/**
 * Only the latest version of each series (site, space, end use, model kind): nightly refits keep
 * every version, and reading them all for a status page would grow without bound.
 */
export class SqliteLatestModelsReader {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database) {
    this.stmt = db.prepare(
      `SELECT m.* FROM model_registry m
       JOIN (SELECT site_id, space_id, end_use, model_kind, MAX(version) AS version FROM model_registry
             WHERE (@siteId IS NULL OR site_id = @siteId) AND (@spaceId IS NULL OR space_id = @spaceId)
             GROUP BY site_id, space_id, end_use, model_kind) latest
         USING (site_id, space_id, end_use, model_kind, version)
       ORDER BY m.site_id, m.space_id, m.end_use, m.model_kind`,
    );
  }

  listModels(filter: { readonly siteId?: string; readonly spaceId?: string } = {}): ModelRecord[] {
    return (
      this.stmt.all({ siteId: filter.siteId ?? null, spaceId: filter.spaceId ?? null }) as ModelSqlRow[]
    ).map(toRecord);
  }
}
