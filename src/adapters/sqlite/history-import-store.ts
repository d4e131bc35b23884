import type Database from 'better-sqlite3';
import type {
  HistoryImportOutcome,
  HistoryImportRecord,
  HistoryImportStore,
  IntervalRow,
} from '../../ports/stores.js';
import { checkInterval } from './checks.js';
import { INSERT_INTERVAL, runInterval } from './interval-store.js';

interface ImportSqlRow {
  meter_id: string;
  file_name: string;
  file_sha256: string;
  options_key: string;
  from_ms: number;
  to_ms: number;
  rows: number;
  written: number;
  skipped_live: number;
  imported_at_ms: number;
}

/**
 * History imports over the interval table (migration 003 keeps the ledger). An interval row listed
 * in history_import_intervals belongs to an import and is replaced by a later one; any other row was
 * written by live ingest and is never touched, so live data and imports are never summed.
 */
export class SqliteHistoryImportStore implements HistoryImportStore {
  private readonly find: Database.Statement;
  private readonly firstReading: Database.Statement;
  private readonly firstLiveInterval: Database.Statement;
  private readonly insertImport: Database.Statement;
  private readonly finishImport: Database.Statement;
  private readonly owner: Database.Statement;
  private readonly exists: Database.Statement;
  private readonly replaceInterval: Database.Statement;
  private readonly own: Database.Statement;
  private readonly apply: Database.Transaction<
    (
      record: Omit<HistoryImportRecord, 'written' | 'skippedLive'>,
      rows: readonly IntervalRow[],
      onProgress?: (done: number) => void,
    ) => HistoryImportOutcome
  >;

  constructor(db: Database.Database) {
    this.find = db.prepare(
      'SELECT * FROM history_imports WHERE meter_id = ? AND file_sha256 = ? AND options_key = ? ORDER BY import_id LIMIT 1',
    );
    this.firstReading = db.prepare('SELECT min(ts_ms) FROM readings WHERE meter_id = ?').pluck();
    this.firstLiveInterval = db
      .prepare(
        `SELECT min(i.start_ms) FROM intervals i
         WHERE i.meter_id = ? AND NOT EXISTS (
           SELECT 1 FROM history_import_intervals h
           WHERE h.meter_id = i.meter_id AND h.minutes = i.minutes AND h.start_ms = i.start_ms)`,
      )
      .pluck();
    this.insertImport = db.prepare(
      `INSERT INTO history_imports
         (meter_id, file_name, file_sha256, options_key, from_ms, to_ms, rows, written, skipped_live, imported_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)
       ON CONFLICT (meter_id, file_sha256, options_key) DO UPDATE SET
         file_name = excluded.file_name, imported_at_ms = excluded.imported_at_ms
       RETURNING import_id`,
    );
    this.finishImport = db.prepare(
      'UPDATE history_imports SET written = ?, skipped_live = ? WHERE import_id = ?',
    );
    this.owner = db
      .prepare(
        'SELECT import_id FROM history_import_intervals WHERE meter_id = ? AND minutes = ? AND start_ms = ?',
      )
      .pluck();
    this.exists = db
      .prepare('SELECT 1 FROM intervals WHERE meter_id = ? AND minutes = ? AND start_ms = ?')
      .pluck();
    this.replaceInterval = db.prepare(
      `${INSERT_INTERVAL}
       ON CONFLICT (meter_id, minutes, start_ms) DO UPDATE SET
         site_id = excluded.site_id, space_id = excluded.space_id, end_use = excluded.end_use,
         energy_kwh = excluded.energy_kwh, coverage = excluded.coverage, missing = excluded.missing`,
    );
    this.own = db.prepare(
      `INSERT INTO history_import_intervals (meter_id, minutes, start_ms, import_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (meter_id, minutes, start_ms) DO UPDATE SET import_id = excluded.import_id`,
    );
    this.apply = db.transaction(
      (
        record: Omit<HistoryImportRecord, 'written' | 'skippedLive'>,
        rows: readonly IntervalRow[],
        onProgress?: (done: number) => void,
      ): HistoryImportOutcome => {
        const importId = this.insertImport.get(
          record.meterId,
          record.fileName,
          record.fileSha256,
          record.optionsKey,
          record.fromMs,
          record.toMs,
          record.rows,
          record.importedAtMs,
        ) as { import_id: number };
        let written = 0;
        let replaced = 0;
        let skippedLive = 0;
        rows.forEach((r, i) => {
          const owned = this.owner.get(r.meterId, r.minutes, r.startMs) !== undefined;
          if (!owned && this.exists.get(r.meterId, r.minutes, r.startMs) !== undefined) skippedLive++;
          else {
            runInterval(this.replaceInterval, r);
            this.own.run(r.meterId, r.minutes, r.startMs, importId.import_id);
            if (owned) replaced++;
            else written++;
          }
          if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
        });
        onProgress?.(rows.length);
        this.finishImport.run(written + replaced, skippedLive, importId.import_id);
        return { written, replaced, skippedLive };
      },
    );
  }

  findImport(meterId: string, fileSha256: string, optionsKey: string): HistoryImportRecord | undefined {
    const r = this.find.get(meterId, fileSha256, optionsKey) as ImportSqlRow | undefined;
    if (!r) return undefined;
    return {
      meterId: r.meter_id,
      fileName: r.file_name,
      fileSha256: r.file_sha256,
      optionsKey: r.options_key,
      fromMs: r.from_ms,
      toMs: r.to_ms,
      rows: r.rows,
      written: r.written,
      skippedLive: r.skipped_live,
      importedAtMs: r.imported_at_ms,
    };
  }

  firstLiveMs(meterId: string): number | undefined {
    const a = this.firstReading.get(meterId) as number | null;
    const b = this.firstLiveInterval.get(meterId) as number | null;
    const both = [a, b].filter((x): x is number => x !== null);
    return both.length > 0 ? Math.min(...both) : undefined;
  }

  applyImport(
    record: Omit<HistoryImportRecord, 'written' | 'skippedLive'>,
    rows: readonly IntervalRow[],
    onProgress?: (done: number) => void,
  ): HistoryImportOutcome {
    for (const r of rows) checkInterval(r);
    // IMMEDIATE: take the write lock first, so live ingest in another process cannot slip in between.
    return this.apply.immediate(record, rows, onProgress);
  }
}
