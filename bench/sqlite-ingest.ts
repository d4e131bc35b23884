/**
 * Write throughput of the SQLite stores on a real file in WAL mode: appendReadings and addIntervals,
 * 100k rows each, in batches of different sizes (ingest writes one batch per flush), in time order
 * (the meters' rows interleaved) and grouped by meter (as a flush writes its pages: the stores'
 * many-row statements are faster on these, slower on the interleaved ones).
 * Run: npm run bench:sqlite
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/adapters/sqlite/database.js';
import { SqliteIntervalStore } from '../src/adapters/sqlite/interval-store.js';
import { SqliteReadingStore } from '../src/adapters/sqlite/reading-store.js';
import type { IntervalRow, StoredReading } from '../src/ports/stores.js';

const ROWS = 100_000;
const METERS = 50;
const Q_MS = 15 * 60_000;

function readings(offsetMs: number): StoredReading[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const tsMs = offsetMs + Math.floor(i / METERS) * 10_000;
    return { meterId: `m${i % METERS}`, tsMs, energyKWh: i / 1000, powerW: 250, receivedAtMs: tsMs + 40 };
  });
}

function intervals(offsetMs: number): IntervalRow[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    meterId: `m${i % METERS}`,
    siteId: 'site',
    spaceId: `space${i % 10}`,
    endUse: 'lighting',
    minutes: 15,
    startMs: offsetMs + Math.floor(i / METERS) * Q_MS,
    energyKWh: 0.01,
    coverage: 0.5,
    missing: false,
  }));
}

/** The same rows grouped by meter, each meter's in their order, as held-writes pages them. */
function byMeter<T extends { readonly meterId: string }>(rows: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const g = groups.get(r.meterId);
    if (g) g.push(r);
    else groups.set(r.meterId, [r]);
  }
  return [...groups.values()].flat();
}

function time<T>(rows: readonly T[], batch: number, write: (b: readonly T[]) => void): number {
  const start = performance.now();
  for (let i = 0; i < rows.length; i += batch) write(rows.slice(i, i + batch));
  return rows.length / ((performance.now() - start) / 1000);
}

const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US').padStart(11)} rows/s`;

const dir = mkdtempSync(join(tmpdir(), 'qw-bench-'));
const db = openDatabase(join(dir, 'bench.db'));
try {
  const readingStore = new SqliteReadingStore(db.db);
  const intervalStore = new SqliteIntervalStore(db.db);
  console.log(
    `SQLite ingest, ${ROWS.toLocaleString('en-US')} rows per line, ${METERS} meters, WAL, synchronous=NORMAL`,
  );
  let offset = 0;
  for (const batch of [ROWS, 1000, 100]) {
    offset += 10 * ROWS * 10_000;
    console.log(
      `  appendReadings  batch ${String(batch).padStart(6)}: ${fmt(time(readings(offset), batch, (b) => readingStore.appendReadings(b)))}`,
    );
    offset += 10 * ROWS * 10_000;
    console.log(
      `  appendReadings  batch ${String(batch).padStart(6)}: ${fmt(time(byMeter(readings(offset)), batch, (b) => readingStore.appendReadings(b)))} (by meter)`,
    );
  }
  for (const batch of [ROWS, 1000, 100]) {
    offset += 10 * ROWS * Q_MS;
    const rows = intervals(offset);
    console.log(
      `  addIntervals    batch ${String(batch).padStart(6)}: ${fmt(time(rows, batch, (b) => intervalStore.addIntervals(b)))} (new keys)`,
    );
    offset += 10 * ROWS * Q_MS;
    console.log(
      `  addIntervals    batch ${String(batch).padStart(6)}: ${fmt(time(byMeter(intervals(offset)), batch, (b) => intervalStore.addIntervals(b)))} (new keys, by meter)`,
    );
    console.log(
      `  addIntervals    batch ${String(batch).padStart(6)}: ${fmt(time(rows, batch, (b) => intervalStore.addIntervals(b)))} (accumulating)`,
    );
  }
  const start = performance.now();
  const removed = readingStore.pruneReadingsBefore(offset);
  const pruneS = (performance.now() - start) / 1000;
  console.log(`  pruneReadingsBefore: ${removed.toLocaleString('en-US')} rows in ${pruneS.toFixed(3)} s`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
