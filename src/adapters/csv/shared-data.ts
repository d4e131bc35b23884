import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IANAZone } from 'luxon';
import type { HourlySeries } from '../../domain/forecast/types.js';
import { parseTable, type Table } from './layouts.js';
import { type ReadOptions, type ReadResult, readMeterCsv, readTables } from './read-meter-csv.js';

/**
 * Loaders for the folders of the shared real-data set (see its README): each returns named hourly
 * series ready for the forecasting code, with the time-zone handling each source needs.
 */
export interface NamedSeries {
  readonly id: string;
  readonly source: 'cambridge' | 'bdg2' | 'polito' | 'nrel';
  readonly series: HourlySeries;
}

/** Weather files for a Cambridge electricity file (…/buildings/<b>/electricity/<year>.csv), if present. */
export function cambridgeWeatherFor(path: string): string | null {
  const year = basename(path, '.csv');
  const root = dirname(dirname(dirname(dirname(path))));
  const w = join(root, 'weather_bedford', `${year}.csv`);
  return existsSync(w) ? w : null;
}

export function loadCambridge(root: string): NamedSeries[] {
  const dir = join(root, 'buildings');
  const out: NamedSeries[] = [];
  const weatherCache = new Map<string, Table>();
  const ids = readdirSync(dir)
    .filter((d) => d.startsWith('UCam_Building_'))
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
  for (const d of ids) {
    const files = readdirSync(join(dir, d, 'electricity'))
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => join(dir, d, 'electricity', f));
    const weather = files
      .map(cambridgeWeatherFor)
      .filter((w): w is string => w !== null)
      .map((w) => {
        const cached = weatherCache.get(w) ?? parseTable(readFileSync(w, 'utf8'));
        weatherCache.set(w, cached);
        return cached;
      });
    const tables = files.map((f) => parseTable(readFileSync(f, 'utf8')));
    const { series } = readTables(tables, {}, weather);
    out.push({ id: d.replace('UCam_Building_', ''), source: 'cambridge', series });
  }
  return out;
}

/** Fixed standard-time offset of a zone, as 'UTC-5' (BDG2 rows have no DST gaps or repeats). */
export function standardOffsetZone(zone: string): string {
  const z = IANAZone.create(zone);
  const jan = z.offset(Date.UTC(2017, 0, 15));
  const jul = z.offset(Date.UTC(2017, 6, 15));
  const minutes = Math.min(jan, jul);
  const h = Math.trunc(minutes / 60);
  const m = Math.abs(minutes % 60);
  return `UTC${h >= 0 ? '+' : '-'}${Math.abs(h)}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

export function bdg2TimeZones(root: string): Map<string, string> {
  const meta = parseTable(readFileSync(join(root, 'metadata.csv'), 'utf8'));
  const idIdx = meta.header.indexOf('building_id');
  const tzIdx = meta.header.indexOf('timezone');
  const map = new Map<string, string>();
  for (const r of meta.rows) {
    const id = r[idIdx];
    const tz = r[tzIdx];
    if (id && tz && IANAZone.isValidZone(tz)) map.set(id, tz);
  }
  return map;
}

export function bdg2Options(root: string, meter: string): ReadOptions {
  const tz = bdg2TimeZones(root).get(meter) ?? 'UTC';
  return { column: meter, buildingTimeZone: tz, timestampTimeZone: standardOffsetZone(tz) };
}

/**
 * readMeterCsv for files that may come from the shared data set: Cambridge electricity files get the
 * Bedford weather beside them (unless temperature files are given), a BDG2 file gets its meter's time
 * zone from the metadata.csv beside it (unless a zone is given).
 */
export function readMeterFiles(files: readonly string[], options: ReadOptions = {}): ReadResult {
  const read = { ...options };
  if (!read.temperatureFiles) {
    const weather = files.map(cambridgeWeatherFor).filter((w): w is string => w !== null);
    if (weather.length > 0 && files.every((f) => /electricity[\\/]\d{4}\.csv$/.test(f))) {
      read.temperatureFiles = weather;
    }
  }
  const first = files[0] ?? '';
  if (
    basename(first).startsWith('bgd_') &&
    existsSync(join(dirname(first), 'metadata.csv')) &&
    !read.timestampTimeZone &&
    !read.buildingTimeZone
  ) {
    const meter =
      read.column ?? parseTable(readFileSync(first, 'utf8').split('\n', 1)[0] ?? '').header[1] ?? '';
    Object.assign(read, bdg2Options(dirname(first), meter));
  }
  return readMeterCsv(files, read);
}

export function loadBdg2(root: string): NamedSeries[] {
  const out: NamedSeries[] = [];
  const files = readdirSync(root)
    .filter((f) => f.startsWith('bgd_') && f.endsWith('.csv'))
    .sort();
  for (const f of files) {
    const path = join(root, f);
    const table = parseTable(readFileSync(path, 'utf8'));
    for (const meter of table.header.slice(1)) {
      const { series } = readTables([table], bdg2Options(root, meter));
      out.push({ id: meter, source: 'bdg2', series });
    }
  }
  return out;
}

export function loadPolito(root: string): NamedSeries[] {
  const meteo = readdirSync(root).filter((f) => f.startsWith('meteo_'));
  const y2019 = readMeterCsv([join(root, 'data_2019_substation_15min.csv')], {
    temperatureFiles: meteo.map((f) => join(root, f)),
  });
  const y2015 = readMeterCsv([join(root, 'data_rda_2015Apr-Jul_15min.csv')], {
    timestampTimeZone: 'Europe/Rome',
  });
  return [
    { id: 'polito-2019-total', source: 'polito', series: y2019.series },
    { id: 'polito-2015-total', source: 'polito', series: y2015.series },
  ];
}

export function loadNrel(root: string): NamedSeries[] {
  const { series } = readMeterCsv([join(root, 'rsfmeasureddata2011.csv')]);
  return [{ id: 'nrel-rsf-total', source: 'nrel', series }];
}
