import type Database from 'better-sqlite3';
import type { EndUse } from '../../domain/energy.js';
import type { ModelRecord, ModelRegistryStore } from '../../ports/stores.js';
import { FilteredStatement } from './filtered-statement.js';

/** A model_registry row as SQLite returns it. */
export interface ModelSqlRow {
  site_id: string;
  space_id: string;
  end_use: string;
  model_kind: string;
  version: number;
  created_at_ms: number;
  json: string;
}

export function toRecord(r: ModelSqlRow): ModelRecord {
  return {
    siteId: r.site_id,
    spaceId: r.space_id,
    endUse: r.end_use as EndUse,
    modelKind: r.model_kind,
    version: r.version,
    createdAtMs: r.created_at_ms,
    json: r.json,
  };
}

/** Fitted models as versioned JSON; versions count 1, 2, ... per space, end use and model kind. */
export class SqliteModelRegistryStore implements ModelRegistryStore {
  private readonly nextVersion: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly one: Database.Statement;
  private readonly latestOfKind: Database.Statement;
  private readonly latestAny: Database.Statement;
  private readonly list: FilteredStatement;
  private readonly saveTx: (model: Omit<ModelRecord, 'version'>) => ModelRecord;

  constructor(db: Database.Database) {
    const key = 'site_id = ? AND space_id = ? AND end_use = ?';
    this.nextVersion = db
      .prepare(`SELECT coalesce(max(version), 0) + 1 FROM model_registry WHERE ${key} AND model_kind = ?`)
      .pluck();
    this.insert = db.prepare(
      `INSERT INTO model_registry (site_id, space_id, end_use, model_kind, version, created_at_ms, json)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.one = db.prepare(`SELECT * FROM model_registry WHERE ${key} AND model_kind = ? AND version = ?`);
    this.latestOfKind = db.prepare(
      `SELECT * FROM model_registry WHERE ${key} AND model_kind = ? ORDER BY version DESC LIMIT 1`,
    );
    this.latestAny = db.prepare(
      `SELECT * FROM model_registry WHERE ${key}
       ORDER BY created_at_ms DESC, version DESC, model_kind LIMIT 1`,
    );
    this.list = new FilteredStatement(
      db,
      { siteId: 'site_id', spaceId: 'space_id' },
      (conditions) => `SELECT * FROM model_registry WHERE 1 = 1${conditions}
        ORDER BY site_id, space_id, end_use, model_kind, version`,
    );
    // Reading the next version and inserting it in one transaction keeps versions unique and dense.
    this.saveTx = db.transaction((m: Omit<ModelRecord, 'version'>): ModelRecord => {
      const version = this.nextVersion.get(m.siteId, m.spaceId, m.endUse, m.modelKind) as number;
      this.insert.run(m.siteId, m.spaceId, m.endUse, m.modelKind, version, m.createdAtMs, m.json);
      return { ...m, version };
    });
  }

  saveModel(model: Omit<ModelRecord, 'version'>): ModelRecord {
    return this.saveTx(model);
  }

  getModel(
    siteId: string,
    spaceId: string,
    endUse: EndUse,
    modelKind: string,
    version: number,
  ): ModelRecord | undefined {
    const row = this.one.get(siteId, spaceId, endUse, modelKind, version) as ModelSqlRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  latestModel(siteId: string, spaceId: string, endUse: EndUse, modelKind?: string): ModelRecord | undefined {
    const row = (
      modelKind === undefined
        ? this.latestAny.get(siteId, spaceId, endUse)
        : this.latestOfKind.get(siteId, spaceId, endUse, modelKind)
    ) as ModelSqlRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  listModels(filter: { readonly siteId?: string; readonly spaceId?: string } = {}): ModelRecord[] {
    const rows = this.list.all({}, { siteId: filter.siteId, spaceId: filter.spaceId }) as ModelSqlRow[];
    return rows.map(toRecord);
  }
}
