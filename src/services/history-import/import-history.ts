import type { HistoryImportStore, IntervalRow } from '../../ports/stores.js';
import { type ExportFormat, type ExportRecord, type ParseTime, readExportRows } from './read-rows.js';
import { type IntervalTarget, spansToIntervals } from './to-intervals.js';

const HOUR_MS = 3_600_000;

export interface ImportRequest {
  readonly target: IntervalTarget;
  readonly fileName: string;
  readonly fileSha256: string;
  readonly header: readonly string[];
  readonly records: readonly ExportRecord[];
  readonly format: ExportFormat;
  /** Reading options that change the result; part of what makes an import "the same". */
  readonly optionsKey: string;
  readonly parseTime: ParseTime;
  readonly nowMs: number;
}

export interface ImportReport {
  readonly status: 'imported' | 'already-imported';
  readonly meterId: string;
  readonly file: string;
  readonly layout: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly rows: number;
  readonly stepMinutes?: number;
  readonly missingRows?: number;
  readonly resets?: number;
  /** Imports cover only intervals that end by this time: the hour of the meter's first live data. */
  readonly liveStartMs?: number;
  readonly written: number;
  readonly replaced: number;
  /** Rows not written because live ingest covers them (at or after its first hour, or already there). */
  readonly skippedLive: number;
}

/**
 * Imports a meter's history into the interval table. Rules (docs/sensors.md, "History import"):
 * the same file with the same options is recognised and changes nothing; another file replaces the
 * rows earlier imports wrote instead of adding to them; and imports never overlap live ingest, whose
 * rows always win: only intervals ending by the hour of the meter's first live data are written.
 */
export function importHistory(
  store: HistoryImportStore,
  req: ImportRequest,
  onProgress?: (phase: 'write', done: number, total: number) => void,
): ImportReport {
  const meterId = req.target.meterId;
  const earlier = store.findImport(meterId, req.fileSha256, req.optionsKey);
  if (earlier) {
    return {
      status: 'already-imported',
      meterId,
      file: req.fileName,
      layout: req.format.layout,
      fromMs: earlier.fromMs,
      toMs: earlier.toMs,
      rows: earlier.rows,
      written: 0,
      replaced: 0,
      skippedLive: 0,
    };
  }
  const read = readExportRows(req.header, req.records, req.format, req.parseTime, req.nowMs);
  const all = spansToIntervals(read.spans, req.target);
  const firstLive = store.firstLiveMs(meterId);
  const liveStartMs = firstLive === undefined ? undefined : Math.floor(firstLive / HOUR_MS) * HOUR_MS;
  const endLimit = Math.min(liveStartMs ?? Number.POSITIVE_INFINITY, req.nowMs);
  const rows: IntervalRow[] = all.filter((r) => r.startMs + r.minutes * 60_000 <= endLimit);
  const outcome = store.applyImport(
    {
      meterId,
      fileName: req.fileName,
      fileSha256: req.fileSha256,
      optionsKey: req.optionsKey,
      fromMs: read.fromMs,
      toMs: read.toMs,
      rows: read.rows,
      importedAtMs: req.nowMs,
    },
    rows,
    onProgress ? (done) => onProgress('write', done, rows.length) : undefined,
  );
  return {
    status: 'imported',
    meterId,
    file: req.fileName,
    layout: req.format.layout,
    fromMs: read.fromMs,
    toMs: read.toMs,
    rows: read.rows,
    stepMinutes: read.stepMinutes,
    missingRows: read.missingRows,
    resets: read.resets,
    ...(liveStartMs !== undefined ? { liveStartMs } : {}),
    written: outcome.written,
    replaced: outcome.replaced,
    skippedLive: outcome.skippedLive + (all.length - rows.length),
  };
}
