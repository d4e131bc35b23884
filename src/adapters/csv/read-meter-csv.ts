import { readFileSync } from 'node:fs';
import { IANAZone } from 'luxon';
import type { HourlySeries } from '../../domain/forecast/types.js';
import { fillShortGaps, joinTemperature, type RawPoint, toHourlySeries } from './hourly-grid.js';
import {
  detectLayout,
  type LayoutDefaults,
  type LayoutName,
  layoutDefaults,
  parseTable,
  type Table,
} from './layouts.js';
import { parseWallTime, resolveZone, wallTimeToUtcMs } from './timestamps.js';
import { type ZeroRuns, zeroRunsOf } from './zero-runs.js';

/**
 * Read meter CSV files (one layout, e.g. one file per year) into one HourlySeries.
 * Options override the layout's defaults; the result says which values were used.
 */
export interface ReadOptions {
  /** Zone of the timestamps without an explicit offset: IANA name or 'UTC+1'-style fixed offset. */
  readonly timestampTimeZone?: string;
  /** IANA zone the building lives by (hour-of-week, day types). */
  readonly buildingTimeZone?: string;
  /** Timestamps mark the END of each interval. */
  readonly hourEnding?: boolean;
  /** A reading of exactly 0 is a missing reading. */
  readonly zeroMeansMissing?: boolean;
  /** Column to read where a layout has several (BDG2 meter, Polito sub-load, NREL end use). */
  readonly column?: string;
  /** Separate weather CSV(s) (timestamp + temperature) to join, e.g. Cambridge's Bedford files. */
  readonly temperatureFiles?: readonly string[];
  /** Fill temperature gaps up to this many hours by interpolation (default 3). */
  readonly maxTemperatureGapHours?: number;
}

export interface ReadResult {
  readonly series: HourlySeries;
  readonly layout: LayoutName;
  readonly settings: LayoutDefaults & { readonly stepMinutes: number };
  /** Rows whose timestamp or value could not be read (counted, not fatal). */
  readonly badRows: number;
  readonly rows: number;
  /**
   * Runs of zeros read as real consumption in a simple-layout file (zero is not taken for missing):
   * the caller warns, since `--zero-missing` would make them gaps. Absent when there are none.
   */
  readonly zeroRuns?: ZeroRuns;
}

export function readMeterCsv(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  if (paths.length === 0) throw new Error('no CSV file given');
  const tables = paths.map((p) => parseTable(readFileSync(p, 'utf8')));
  return readTables(tables, options);
}

export function readTables(
  tables: readonly Table[],
  options: ReadOptions = {},
  weather: readonly Table[] = [],
): ReadResult {
  const first = tables[0];
  if (!first) throw new Error('no CSV table given');
  const layout = detectLayout(first.header);
  const d = layoutDefaults(layout, first.header, options.column);
  const settings: LayoutDefaults = {
    ...d,
    timestampTimeZone: options.timestampTimeZone ?? d.timestampTimeZone,
    buildingTimeZone: options.buildingTimeZone ?? options.timestampTimeZone ?? d.buildingTimeZone,
    hourEnding: options.hourEnding ?? d.hourEnding,
    zeroMeansMissing: options.zeroMeansMissing ?? d.zeroMeansMissing,
  };
  if (
    options.buildingTimeZone === undefined &&
    options.timestampTimeZone !== undefined &&
    layout !== 'simple'
  ) {
    // An explicit timestamp zone does not move a shared layout's building zone.
    (settings as { buildingTimeZone: string }).buildingTimeZone = d.buildingTimeZone;
  }
  if (!IANAZone.isValidZone(settings.buildingTimeZone)) {
    throw new Error(
      `building time zone ${JSON.stringify(settings.buildingTimeZone)} is not an IANA zone name`,
    );
  }
  const zone = resolveZone(settings.timestampTimeZone);
  if (!zone)
    throw new Error(`timestamp time zone ${JSON.stringify(settings.timestampTimeZone)} is not valid`);

  let badRows = 0;
  let rows = 0;
  const points: RawPoint[] = [];
  const stamps: number[] = [];
  for (const table of tables) {
    const ti = table.header.indexOf(settings.timeColumn);
    const vi = table.header.indexOf(settings.valueColumn);
    const tci = settings.temperatureColumn ? table.header.indexOf(settings.temperatureColumn) : -1;
    if (ti < 0 || vi < 0)
      throw new Error(
        `file lacks column ${JSON.stringify(ti < 0 ? settings.timeColumn : settings.valueColumn)}`,
      );
    let prev = Number.NEGATIVE_INFINITY;
    for (const row of table.rows) {
      rows++;
      const w = parseWallTime(row[ti] ?? '');
      const ms = w ? wallTimeToUtcMs(w, zone, prev) : Number.NaN;
      if (!Number.isFinite(ms)) {
        badRows++;
        continue;
      }
      prev = ms;
      stamps.push(ms);
      points.push({
        startMs: ms,
        value: readNumber(row[vi], settings.zeroMeansMissing),
        temperatureC: tci >= 0 ? readNumber(row[tci], false) : null,
      });
    }
  }
  const stepMinutes = detectStepMinutes(stamps);
  const shift = settings.hourEnding ? stepMinutes * 60_000 : 0;
  const shifted = shift === 0 ? points : points.map((p) => ({ ...p, startMs: p.startMs - shift }));
  let series = toHourlySeries(shifted, {
    unit: settings.unit,
    stepMinutes,
    buildingTimeZone: settings.buildingTimeZone,
    withTemperature: settings.temperatureColumn !== null,
  });
  const weatherTables = [
    ...weather,
    ...(options.temperatureFiles ?? []).map((p) => parseTable(readFileSync(p, 'utf8'))),
  ];
  if (weatherTables.length > 0) series = joinTemperature(series, readWeather(weatherTables, zone));
  if (series.temperatureC) {
    series = {
      ...series,
      temperatureC: fillShortGaps(series.temperatureC, options.maxTemperatureGapHours ?? 3),
    };
  }
  const zeroRuns = layout === 'simple' && !settings.zeroMeansMissing ? zeroRunsOf(points, stepMinutes) : null;
  return {
    series,
    layout,
    settings: { ...settings, stepMinutes },
    badRows,
    rows,
    ...(zeroRuns ? { zeroRuns } : {}),
  };
}

function readNumber(text: string | undefined, zeroMeansMissing: boolean): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === '' || /^(nan|na|null)$/i.test(t)) return null;
  const v = Number(t);
  if (!Number.isFinite(v)) return null;
  if (zeroMeansMissing && v === 0) return null;
  return v;
}

/** Most common positive step between consecutive timestamps, in minutes (60 if unclear). */
export function detectStepMinutes(stamps: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < Math.min(stamps.length, 2000); i++) {
    const d = ((stamps[i] ?? 0) - (stamps[i - 1] ?? 0)) / 60_000;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 60;
  let bestN = 0;
  for (const [d, c] of counts) {
    if (c > bestN) {
      best = d;
      bestN = c;
    }
  }
  return best;
}

/** Hourly mean temperature by UTC hour start from weather tables (first numeric column after time). */
function readWeather(
  tables: readonly Table[],
  zone: NonNullable<ReturnType<typeof resolveZone>>,
): Map<number, number> {
  const sum = new Map<number, [number, number]>();
  for (const t of tables) {
    const ci = t.header.findIndex((h, i) => i > 0 && /temp/i.test(h));
    if (ci < 0) throw new Error(`weather file has no temperature column: ${t.header.join(',')}`);
    let prev = Number.NEGATIVE_INFINITY;
    for (const row of t.rows) {
      const w = parseWallTime(row[0] ?? '');
      const ms = w ? wallTimeToUtcMs(w, zone, prev) : Number.NaN;
      const v = readNumber(row[ci], false);
      if (!Number.isFinite(ms) || v === null) continue;
      prev = ms;
      const h = Math.floor(ms / 3_600_000) * 3_600_000;
      const acc = sum.get(h) ?? [0, 0];
      acc[0] += v;
      acc[1] += 1;
      sum.set(h, acc);
    }
  }
  const out = new Map<number, number>();
  for (const [h, [s, n]] of sum) out.set(h, s / n);
  return out;
}
