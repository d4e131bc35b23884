import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse/sync';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { detectLayout, layoutDefaults } from '../../adapters/csv/layouts.js';
import { parseWallTime, resolveZone, wallTimeToUtcMs } from '../../adapters/csv/timestamps.js';
import { openDatabaseWithBackup, type SqliteDatabase } from '../../adapters/sqlite/database.js';
import { SqliteHistoryImportStore } from '../../adapters/sqlite/history-import-store.js';
import { DB_FILE_NAME } from '../../adapters/sqlite/storage.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import {
  type ImportReport,
  importHistory as importHistoryService,
} from '../../services/history-import/import-history.js';
import {
  type ExportFormat,
  type ExportRecord,
  ImportDataError,
} from '../../services/history-import/read-rows.js';
import type { CommandOutput } from '../output.js';
import { type CommandOptions, METER_FILE_OPTIONS, parseCommand } from './meter-file-options.js';

export const IMPORT_USAGE = `Usage: quietwatt import FILE.csv --meter ID [options]

Loads a meter's past readings (a billing or BMS export) into QuietWatt's storage as 15- and
60-minute interval rows of the meter's space and end use, so a baseline can be fitted on day one.
Re-importing the same file changes nothing; see docs/sensors.md ("History import") for the rules.

Layouts, recognised by the header:
  timestamp,kWh[,temperatureC]    energy of the interval starting at each timestamp (5-60 min rows)
  timestamp,registerKWh           a cumulative register reading (kWh) at each timestamp
  (also cumulativeKWh / register_kwh), and the shared data layouts (Cambridge estates, BDG2 ...)

Options:
  --meter ID          the configured meter the history belongs to (required)
  --config FILE       config file naming the meter and the storage (default config/default.yaml)
  --tz ZONE           zone of timestamps without an offset (IANA name or UTC+8); default: the
                      meter's (else its site's) zone, or the shared layout's own (Cambridge: UTC)
  --hour-ending       timestamps mark the END of each interval
  --zero-missing      a reading of 0 is a missing reading (default for Cambridge and BDG2)
  --column NAME       the value column where a file has several (BDG2)
  --json              machine-readable output
  --help              this text`;

const DEFAULT_CONFIG_FILE = 'config/default.yaml';
const REGISTER_HEADERS = new Set(['registerkwh', 'register_kwh', 'cumulativekwh', 'cumulative_kwh']);
const PROGRESS_FROM_ROWS = 5_000;

interface MeterPlace {
  readonly siteId: string;
  readonly spaceId: string;
  readonly meter: QuietWattConfig['sites'][number]['spaces'][number]['meters'][number];
  readonly timezone: string;
}

function findMeter(config: QuietWattConfig, meterId: string): MeterPlace | undefined {
  for (const site of config.sites) {
    for (const space of site.spaces) {
      const meter = space.meters.find((m) => m.id === meterId);
      if (meter)
        return { siteId: site.id, spaceId: space.id, meter, timezone: meter.timezone ?? site.timezone };
    }
  }
  return undefined;
}

function allMeterIds(config: QuietWattConfig): string[] {
  return config.sites.flatMap((s) => s.spaces.flatMap((sp) => sp.meters.map((m) => m.id)));
}

interface Resolved {
  readonly format: ExportFormat;
  readonly timestampTimeZone: string;
}

function resolveFormat(
  header: readonly string[],
  place: MeterPlace,
  opts: { tz?: string; hourEnding: boolean; zeroMissing: boolean; column?: string },
): Resolved {
  const lower = header.map((h) => h.trim().toLowerCase());
  const common = { multiplier: 1, maxGapMinutes: place.meter.maxGapMinutes };
  if (lower[0] === 'timestamp' && REGISTER_HEADERS.has(lower[1] ?? '')) {
    return {
      timestampTimeZone: opts.tz ?? place.timezone,
      format: {
        ...common,
        kind: 'register',
        layout: 'register',
        timeColumn: header[0] ?? 'timestamp',
        valueColumn: header[1] ?? 'registerKWh',
        unit: 'kWh',
        hourEnding: false,
        zeroMeansMissing: opts.zeroMissing,
      },
    };
  }
  const layout = detectLayout(header);
  if (layout === 'cambridge-weather') {
    throw new ImportDataError(['line 1: this is a weather file (air temperature), not a meter export']);
  }
  const d = layoutDefaults(layout, header, opts.column);
  return {
    // The simple layout is written by people near the meter: its naive times are the meter's local time.
    timestampTimeZone: opts.tz ?? (layout === 'simple' ? place.timezone : d.timestampTimeZone),
    format: {
      ...common,
      kind: 'interval',
      layout,
      timeColumn: d.timeColumn,
      valueColumn: d.valueColumn,
      unit: d.unit,
      hourEnding: opts.hourEnding || d.hourEnding,
      zeroMeansMissing: opts.zeroMissing || d.zeroMeansMissing,
    },
  };
}

function readRecords(text: string): { header: string[]; records: ExportRecord[] } {
  const parsed = parse(text, {
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...rest] = parsed;
  return {
    header: (head?.record ?? []).map((h) => h.trim()),
    records: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}

function describe(r: ImportReport, place: MeterPlace): string[] {
  const where = `${place.siteId}/${place.spaceId}, ${place.meter.measures}`;
  if (r.status === 'already-imported') {
    return [
      `${r.file} was already imported for meter ${r.meterId} (${where}) with these options: nothing changed`,
      `  covers ${iso(r.fromMs)} .. ${iso(r.toMs)}, ${r.rows} rows`,
    ];
  }
  return [
    `imported ${r.file} for meter ${r.meterId} (${where}): layout ${r.layout}, ${r.stepMinutes}-minute data`,
    `  covers ${iso(r.fromMs)} .. ${iso(r.toMs)}: ${r.rows} rows, ${r.missingRows} missing${r.resets ? `, ${r.resets} register decrease(s) marked missing` : ''}`,
    `  interval rows (15 and 60 min): ${r.written} written, ${r.replaced} replaced, ${r.skippedLive} left to live data` +
      (r.liveStartMs !== undefined ? ` (live data from ${iso(r.liveStartMs)})` : ''),
  ];
}

/** `quietwatt import FILE.csv --meter ID ...`; returns the exit code (0 ok, 1 bad data, 2 bad usage). */
export async function importHistory(args: string[], out: CommandOutput): Promise<number> {
  const parsed = parseCommand(args, IMPORT_OPTIONS);
  if (typeof parsed === 'string') {
    out.error(`${parsed}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.log(IMPORT_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1 || !values.meter) {
    out.error(
      `${!file ? 'give the CSV file' : positionals.length > 1 ? 'give one CSV file' : '--meter ID is required'}\n\n${IMPORT_USAGE}`,
    );
    return 2;
  }
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) {
    for (const e of loaded.errors) out.error(e.message);
    return 2;
  }
  const config = loaded.config;
  const place = findMeter(config, values.meter);
  if (!place) {
    out.error(
      `no meter ${JSON.stringify(values.meter)} in ${configFile}; meters: ${allMeterIds(config).join(', ')}`,
    );
    return 2;
  }
  if (values.tz !== undefined && !resolveZone(values.tz)) {
    out.error(
      `--tz ${JSON.stringify(values.tz)} is not a time zone (expected an IANA name such as Asia/Shanghai, or UTC+8)`,
    );
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    out.error(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`,
    );
    return 2;
  }
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = basename(file);
  let database: SqliteDatabase | undefined;
  let bar: cliProgress.SingleBar | undefined;
  try {
    const { header, records } = readRecords(bytes.toString('utf8'));
    const resolved = resolveFormat(header, place, {
      ...(values.tz !== undefined ? { tz: values.tz } : {}),
      ...(values.column !== undefined ? { column: values.column } : {}),
      hourEnding: values['hour-ending'] ?? false,
      zeroMissing: values['zero-missing'] ?? false,
    });
    const zone = resolveZone(resolved.timestampTimeZone);
    if (!zone)
      throw new ImportDataError([`time zone ${JSON.stringify(resolved.timestampTimeZone)} is not valid`]);
    const parseTime = (text: string, prevMs: number): number => {
      const w = parseWallTime(text);
      return w ? wallTimeToUtcMs(w, zone, prevMs) : Number.NaN;
    };
    const optionsKey = JSON.stringify({
      layout: resolved.format.layout,
      valueColumn: resolved.format.valueColumn,
      tz: resolved.timestampTimeZone,
      hourEnding: resolved.format.hourEnding,
      zeroMissing: resolved.format.zeroMeansMissing,
    });
    database = await openDatabaseWithBackup(join(resolve(config.storage.dir), DB_FILE_NAME));
    const store = new SqliteHistoryImportStore(database.db);
    if (records.length >= PROGRESS_FROM_ROWS && process.stderr.isTTY) {
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: 'importing {bar} {value}/{total} interval rows', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
    }
    let started = false;
    const report = importHistoryService(
      store,
      {
        target: {
          meterId: place.meter.id,
          siteId: place.siteId,
          spaceId: place.spaceId,
          endUse: place.meter.measures,
        },
        fileName,
        fileSha256,
        header,
        records,
        format: resolved.format,
        optionsKey,
        parseTime,
        nowMs: Date.now(),
      },
      (_phase, done, total) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    );
    bar?.stop();
    if (values.json) {
      out.log(
        JSON.stringify(
          {
            ...report,
            siteId: place.siteId,
            spaceId: place.spaceId,
            endUse: place.meter.measures,
            timestampTimeZone: resolved.timestampTimeZone,
          },
          null,
          2,
        ),
      );
    } else for (const line of describe(report, place)) out.log(line);
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof ImportDataError) {
      for (const p of error.problems) out.error(`${file}: ${p}`);
      out.error(`${file}: nothing imported`);
      return 1;
    }
    out.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    database?.close();
  }
}

const IMPORT_OPTIONS = {
  meter: { type: 'string', needs: 'a meter id' },
  config: { type: 'string', short: 'c', needs: 'a config file' },
  tz: METER_FILE_OPTIONS.tz,
  column: METER_FILE_OPTIONS.column,
  'hour-ending': METER_FILE_OPTIONS['hour-ending'],
  'zero-missing': METER_FILE_OPTIONS['zero-missing'],
  json: METER_FILE_OPTIONS.json,
  help: { type: 'boolean', short: 'h' },
} as const satisfies CommandOptions;
