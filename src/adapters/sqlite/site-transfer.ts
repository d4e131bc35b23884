import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { openDatabase } from './database.js';
import { SqliteStoreError } from './errors.js';
import { DB_FILE_MODE } from './file-mode.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import {
  copyRows,
  countRows,
  fillIdTables,
  HISTORY_IMPORT_INTERVALS,
  HISTORY_IMPORTS,
  SITE_TABLES,
  SPACE_MODES_KEY,
} from './site-tables.js';

export const ERR_SITE_EXPORT = 'QW_ERR_SITE_EXPORT';
export const ERR_SITE_IMPORT = 'QW_ERR_SITE_IMPORT';
export const ERR_SITE_HAS_DATA = 'QW_ERR_SITE_HAS_DATA';

const FORMAT = 'quietwatt-site-export';

/** What an export file says about itself, in its `site_export` table (one JSON row). */
const ExportMeta = z
  .object({
    format: z.literal(FORMAT),
    siteId: z.string().min(1),
    schemaVersion: z.number().int().min(1),
    exportedAtMs: z.number(),
    meterIds: z.array(z.string()),
    sensorIds: z.array(z.string()),
    /** The site's operator modes, keyed `site/space`. */
    spaceModes: z.record(z.string(), z.unknown()),
  })
  .strict();
export type ExportMeta = z.infer<typeof ExportMeta>;

/** Rows per table, for the operator's summary. */
export type RowCounts = Record<string, number>;

export interface ExportRequest {
  /** The instance's store (quietwatt.db). */
  readonly storePath: string;
  readonly outPath: string;
  readonly siteId: string;
  /** The site's meters and sensors in the config; ids the store knows for the site are added. */
  readonly meterIds: readonly string[];
  readonly sensorIds: readonly string[];
  readonly exportedAtMs: number;
}

/**
 * Writes one site's rows (history, intervals, meter state, models, ledger, audit, alerts, commands,
 * verification designs and learned settings) to a new SQLite file with the store's own schema.
 * Read in one snapshot, so it may run while the instance does; a move stops it first so that
 * nothing arrives after the export.
 */
export function exportSite(r: ExportRequest): { meta: ExportMeta; rows: RowCounts } {
  if (!existsSync(r.storePath))
    throw new SqliteStoreError(ERR_SITE_EXPORT, `no store at ${r.storePath}: has the instance run?`);
  if (existsSync(r.outPath)) throw new SqliteStoreError(ERR_SITE_EXPORT, `${r.outPath} exists`);
  // Created owner-only (it holds the site's audit log and commands), one file without WAL: a file
  // to carry to the other instance, nothing beside it.
  closeSync(openSync(r.outPath, 'wx', DB_FILE_MODE));
  const db = new Database(r.outPath);
  try {
    migrate(db, MIGRATIONS, r.outPath);
    db.prepare('ATTACH DATABASE ? AS src').run(r.storePath);
    const schemaVersion = versionOf(db, 'main');
    if (versionOf(db, 'src') !== schemaVersion)
      throw new SqliteStoreError(
        ERR_SITE_EXPORT,
        `${r.storePath} has schema version ${versionOf(db, 'src')}, this QuietWatt writes ${schemaVersion}: start the instance once with this release first`,
      );
    const idsOf = (sql: string) => (db.prepare(sql).pluck().all(r.siteId) as string[]).sort();
    const meterIds = union(
      r.meterIds,
      idsOf('SELECT DISTINCT meter_id FROM src.intervals WHERE site_id = ?'),
    );
    const sensorIds = union(
      r.sensorIds,
      idsOf('SELECT DISTINCT sensor_id FROM src.sensor_quarters WHERE site_id = ?'),
    );
    fillIdTables(db, meterIds, sensorIds);
    const rows: RowCounts = {};
    let meta: ExportMeta | undefined;
    // One read transaction: every table from the same snapshot of the store.
    db.transaction(() => {
      for (const t of [...SITE_TABLES, HISTORY_IMPORTS, HISTORY_IMPORT_INTERVALS])
        rows[t.table] = copyRows(db, t, 'src', 'main', r.siteId, true);
      meta = {
        format: FORMAT,
        siteId: r.siteId,
        schemaVersion,
        exportedAtMs: r.exportedAtMs,
        meterIds,
        sensorIds,
        spaceModes: siteModes(readModes(db, 'src'), r.siteId),
      };
      db.exec('CREATE TABLE main.site_export (meta_json TEXT NOT NULL)');
      db.prepare('INSERT INTO main.site_export (meta_json) VALUES (?)').run(JSON.stringify(meta));
    })();
    db.exec('DETACH DATABASE src');
    if (!meta) throw new Error('unreachable: the export transaction wrote no meta');
    return { meta, rows };
  } catch (error) {
    db.close();
    rmSync(r.outPath, { force: true });
    throw error;
  } finally {
    if (db.open) db.close();
  }
}

export interface ImportRequest {
  readonly storePath: string;
  readonly file: string;
  /** Replace the site's rows in the store; without it, a site with any row there is refused. */
  readonly force: boolean;
  /** Checked before anything is written: e.g. that the target's config serves the site. */
  readonly accept?: (meta: ExportMeta) => void;
}

/**
 * Loads an export into an instance's store in one transaction: every row or none. Refused when
 * the store already holds any row of the site (or of its meters and sensors) unless forced, in
 * which case those rows are deleted first. Run with the target instance stopped: a running one
 * keeps its own view of its meters in memory.
 */
export function importSite(r: ImportRequest): { meta: ExportMeta; rows: RowCounts; replaced: number } {
  if (!existsSync(r.file)) throw new SqliteStoreError(ERR_SITE_IMPORT, `no export file ${r.file}`);
  const target = openDatabase(r.storePath);
  try {
    const db = target.db;
    db.prepare('ATTACH DATABASE ? AS exp').run(r.file);
    const meta = readMeta(db, r.file);
    if (meta.schemaVersion !== versionOf(db, 'main') || versionOf(db, 'exp') !== meta.schemaVersion)
      throw new SqliteStoreError(
        ERR_SITE_IMPORT,
        `${r.file} has schema version ${meta.schemaVersion}, the store ${versionOf(db, 'main')}: export and import with the same QuietWatt release`,
      );
    r.accept?.(meta);
    fillIdTables(db, meta.meterIds, meta.sensorIds);
    const site = meta.siteId;
    const all = [...SITE_TABLES, HISTORY_IMPORTS, HISTORY_IMPORT_INTERVALS];
    const rows: RowCounts = {};
    let replaced = 0;
    db.transaction(() => {
      const present = all
        .map((t) => [t.table, countRows(db, t, 'main', site)] as const)
        .filter(([, n]) => n > 0);
      const modes = readModes(db, 'main');
      const hasModes = Object.keys(siteModes(modes, site)).length > 0;
      if ((present.length > 0 || hasModes) && !r.force) {
        const listed = present.map(([t, n]) => `${t} ${n}`).join(', ');
        throw new SqliteStoreError(
          ERR_SITE_HAS_DATA,
          `the store ${r.storePath} already holds data of site ${site} (${listed || 'operator modes'}): nothing imported. Pass --force to replace it.`,
        );
      }
      for (const t of [...all].reverse())
        replaced += db.prepare(`DELETE FROM main.${t.table} WHERE ${t.where}`).run({ site }).changes;
      for (const t of SITE_TABLES) rows[t.table] = copyRows(db, t, 'exp', 'main', site, false);
      Object.assign(rows, copyHistoryImports(db));
      writeModes(db, { ...withoutSite(modes, site), ...meta.spaceModes });
    }).immediate();
    db.exec('DETACH DATABASE exp');
    return { meta, rows, replaced };
  } finally {
    target.close();
  }
}

/** History imports get the target's numbers; their interval claims follow them. */
function copyHistoryImports(db: Database.Database): RowCounts {
  const cols = (
    db.prepare(`SELECT name FROM pragma_table_info('history_imports', 'main')`).pluck().all() as string[]
  ).filter((c) => c !== 'import_id');
  const list = cols.map((c) => `"${c}"`).join(', ');
  const insert = db.prepare(
    `INSERT INTO main.history_imports (${list}) SELECT ${list} FROM exp.history_imports WHERE import_id = ?`,
  );
  const claims = db.prepare(
    `INSERT INTO main.history_import_intervals (meter_id, minutes, start_ms, import_id)
     SELECT meter_id, minutes, start_ms, ? FROM exp.history_import_intervals WHERE import_id = ?`,
  );
  const ids = db
    .prepare('SELECT import_id FROM exp.history_imports ORDER BY import_id')
    .pluck()
    .all() as number[];
  let intervals = 0;
  for (const oldId of ids) {
    const newId = insert.run(oldId).lastInsertRowid;
    intervals += claims.run(newId, oldId).changes;
  }
  return { history_imports: ids.length, history_import_intervals: intervals };
}

function readMeta(db: Database.Database, file: string): ExportMeta {
  let text: unknown;
  try {
    text = db.prepare('SELECT meta_json FROM exp.site_export').pluck().get();
  } catch {
    throw new SqliteStoreError(
      ERR_SITE_IMPORT,
      `${file} is not a QuietWatt site export (no site_export table)`,
    );
  }
  const parsed = ExportMeta.safeParse(typeof text === 'string' ? JSON.parse(text) : undefined);
  if (!parsed.success)
    throw new SqliteStoreError(
      ERR_SITE_IMPORT,
      `${file}: damaged export description: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

function versionOf(db: Database.Database, schema: string): number {
  const v = db.prepare(`SELECT max(version) FROM ${schema}.schema_migrations`).pluck().get();
  return typeof v === 'number' ? v : 0;
}

const Modes = z.record(z.string(), z.unknown());

function readModes(db: Database.Database, schema: string): Record<string, unknown> {
  const text = db.prepare(`SELECT value FROM ${schema}.settings WHERE key = ?`).pluck().get(SPACE_MODES_KEY);
  if (typeof text !== 'string') return {};
  const parsed = Modes.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
}

function writeModes(db: Database.Database, modes: Record<string, unknown>): void {
  if (Object.keys(modes).length === 0) {
    db.prepare('DELETE FROM main.settings WHERE key = ?').run(SPACE_MODES_KEY);
    return;
  }
  db.prepare(
    'INSERT INTO main.settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(SPACE_MODES_KEY, JSON.stringify(modes));
}

const siteModes = (modes: Record<string, unknown>, site: string) =>
  Object.fromEntries(Object.entries(modes).filter(([k]) => k.startsWith(`${site}/`)));
const withoutSite = (modes: Record<string, unknown>, site: string) =>
  Object.fromEntries(Object.entries(modes).filter(([k]) => !k.startsWith(`${site}/`)));

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();
