import { parse } from 'csv-parse/sync';

/**
 * The CSV layouts QuietWatt reads, recognised by their header row, with the defaults each implies.
 * - simple:     timestamp,kWh[,temperatureC]                      (QuietWatt's documented layout)
 * - cambridge:  datetime,equipment load [kWh]                     (UTC, Europe/London, 0 = missing)
 * - cambridge-weather: datetime,air_temperature [degC],...        (UTC)
 * - bdg2:       timestamp,<meter>,<meter>...                      (one kWh column per meter)
 * - polito:     "Date_Time",...,"Total_Power",...                 (15-min kW)
 * - nrel:       Day of Week,Date and Time,...,Total Building (kW)  (hour-ending, kW)
 */
export type LayoutName = 'simple' | 'cambridge' | 'cambridge-weather' | 'bdg2' | 'polito' | 'nrel';

export interface LayoutDefaults {
  readonly timestampTimeZone: string;
  readonly buildingTimeZone: string;
  readonly hourEnding: boolean;
  readonly zeroMeansMissing: boolean;
  readonly unit: 'kWh' | 'kW';
  readonly timeColumn: string;
  readonly valueColumn: string;
  readonly temperatureColumn: string | null;
}

export interface Table {
  readonly header: string[];
  readonly rows: string[][];
}

export function parseTable(text: string): Table {
  const records = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as string[][];
  const header = (records[0] ?? []).map((h) => h.trim());
  return { header, rows: records.slice(1) };
}

export function detectLayout(header: readonly string[]): LayoutName {
  const h = header.map((x) => x.toLowerCase());
  if (h[0] === 'datetime' && h[1]?.startsWith('equipment load')) return 'cambridge';
  if (h[0] === 'datetime' && h[1]?.startsWith('air_temperature')) return 'cambridge-weather';
  if (h[0] === 'date_time' && h.includes('total_power')) return 'polito';
  if (h[0] === 'day of week' && h[1] === 'date and time') return 'nrel';
  if (h[0] === 'timestamp' && (h[1] === 'kwh' || h[1] === 'energykwh')) return 'simple';
  if (h[0] === 'timestamp' && h.length >= 2) return 'bdg2';
  throw new Error(
    `unrecognised CSV header ${JSON.stringify(header.slice(0, 4))}: expected "timestamp,kWh[,temperatureC]" or one of the shared data layouts`,
  );
}

/** Defaults for a layout; `column` picks a meter/sub-load column where the layout has several. */
export function layoutDefaults(
  layout: LayoutName,
  header: readonly string[],
  column?: string,
): LayoutDefaults {
  const pick = (fallback: string): string => {
    const c = column ?? fallback;
    if (!header.includes(c)) {
      throw new Error(`column ${JSON.stringify(c)} not in file; columns: ${header.slice(1).join(', ')}`);
    }
    return c;
  };
  switch (layout) {
    case 'simple':
      return {
        timestampTimeZone: 'UTC',
        buildingTimeZone: 'UTC',
        hourEnding: false,
        zeroMeansMissing: false,
        unit: 'kWh',
        timeColumn: header[0] ?? 'timestamp',
        valueColumn: header[1] ?? 'kWh',
        temperatureColumn: header[2] ?? null,
      };
    case 'cambridge':
      return {
        timestampTimeZone: 'UTC',
        buildingTimeZone: 'Europe/London',
        hourEnding: false,
        zeroMeansMissing: true,
        unit: 'kWh',
        timeColumn: 'datetime',
        valueColumn: header[1] ?? '',
        temperatureColumn: null,
      };
    case 'cambridge-weather':
      return {
        timestampTimeZone: 'UTC',
        buildingTimeZone: 'Europe/London',
        hourEnding: false,
        zeroMeansMissing: false,
        unit: 'kWh',
        timeColumn: 'datetime',
        valueColumn: header[1] ?? '',
        temperatureColumn: header[1] ?? null,
      };
    case 'bdg2':
      return {
        // Hourly rows with no DST gaps or repeats: wall time in the zone's standard offset.
        timestampTimeZone: 'UTC',
        buildingTimeZone: 'UTC',
        hourEnding: false,
        zeroMeansMissing: true,
        unit: 'kWh',
        timeColumn: 'timestamp',
        valueColumn: pick(header[1] ?? ''),
        temperatureColumn: null,
      };
    case 'polito':
      return {
        // The 2019 file has every 15-min row on both DST days: a fixed UTC+1 grid (CET). The 2015
        // file (with outdoor temperature "Text") is Europe/Rome local time, per its source.
        timestampTimeZone: header.includes('Text') ? 'Europe/Rome' : 'UTC+1',
        buildingTimeZone: 'Europe/Rome',
        hourEnding: false,
        zeroMeansMissing: false,
        unit: 'kW',
        timeColumn: 'Date_Time',
        valueColumn: pick('Total_Power'),
        temperatureColumn: header.includes('Text') ? 'Text' : null,
      };
    case 'nrel':
      return {
        // 24 rows on the autumn DST day: standard time (MST) throughout, stamped at hour end.
        timestampTimeZone: 'UTC-7',
        buildingTimeZone: 'America/Denver',
        hourEnding: true,
        zeroMeansMissing: false,
        unit: 'kW',
        timeColumn: 'Date and Time',
        valueColumn: pick('Total Building (kW)'),
        temperatureColumn: null,
      };
  }
}
