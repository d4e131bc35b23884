import cliProgress from 'cli-progress';
import { DateTime } from 'luxon';
import { siteCalendar } from '../../domain/calendar/holidays.js';
import { baselineBacktest, dayAheadBacktest } from '../../domain/forecast/backtest.js';
import { levelShiftCheck } from '../../domain/forecast/level-shift.js';
import type { FitStats } from '../../domain/forecast/metrics.js';
import { seasonalNaive, towtForecaster } from '../../domain/forecast/models.js';
import {
  localMonthKeys,
  type PreparedSeries,
  prepareSeries,
  secondYearStart,
} from '../../domain/forecast/prepared.js';
import { assessSufficiency, BASELINE_RULES, FORECAST_RULES } from '../../domain/forecast/sufficiency.js';
import { dayAheadCandidates } from '../../domain/forecast/training.js';
import type { CommandOutput } from '../output.js';
import { fitStatsRefusal } from './figure-refusals.js';
import {
  type CommandOptions,
  METER_FILE_OPTIONS,
  type MeterFileArgs,
  meterFileReadOptions,
  parseCommand,
  startMeterFileCommand,
} from './meter-file-options.js';

export const BACKTEST_USAGE = `Usage: quietwatt backtest FILE.csv [FILE.csv ...] [options]

Backtests the forecast models on a meter's history and prints CV(RMSE), NMBE and R² per model in
two settings: baseline (fit on the first year, predict the rest from time and temperature alone)
and day-ahead (each day forecast from the data before it; refit weekly, corrected daily).

Files: the simple layout "timestamp,kWh[,temperatureC]" (one row per hour or finer), or one of the
shared data layouts (Cambridge estates, BDG2, Polito, NREL RSF), recognised by their header.
Several files (e.g. one per year) are joined.

Options:
  --tz ZONE             time zone of timestamps without an offset (IANA name or UTC+1); default
                        per layout (simple: UTC)
  --building-tz ZONE    IANA zone the building lives by (hour-of-week, holidays); default per layout
  --hour-ending         timestamps mark the end of each interval
  --zero-missing        a reading of 0 is a missing reading (default for Cambridge and BDG2); without
                        it, runs of zeros in a simple file are read as use, with a warning
  --no-zero-missing     a reading of 0 is a real zero
  --column NAME         the meter / sub-load column where a file has several
  --temperature FILE    weather CSV to join (timestamp + temperature column); repeatable
  --holidays KIND       auto (China's holidays and 调休 for Chinese time zones, default), china, none
  --json                machine-readable output
  --help                this text`;

interface Parsed extends MeterFileArgs {
  holidays: 'auto' | 'china' | 'none';
}

const BACKTEST_OPTIONS = {
  ...METER_FILE_OPTIONS,
  holidays: { type: 'string', needs: 'auto, china or none' },
  help: { type: 'boolean' },
} as const satisfies CommandOptions;

function parseBacktestArgs(args: string[]): Parsed | string {
  const parsed = parseCommand(args, BACKTEST_OPTIONS);
  if (typeof parsed === 'string') return parsed;
  const { values, positionals, tokens } = parsed;
  const holidays = values.holidays ?? 'auto';
  if (holidays !== 'auto' && holidays !== 'china' && holidays !== 'none') {
    return `--holidays must be auto, china or none, got ${JSON.stringify(holidays)}`;
  }
  if (positionals.length === 0) return 'no CSV file given';
  return {
    files: positionals,
    read: meterFileReadOptions(values, tokens),
    json: values.json ?? false,
    holidays,
  };
}

interface SettingReport {
  readonly setting: 'baseline' | 'day-ahead';
  readonly ran: boolean;
  readonly reason?: string;
  readonly window?: { readonly train: string; readonly predicted: string };
  readonly models: { readonly name: string; readonly stats: FitStats; readonly heldOutMonths?: FitStats }[];
  readonly chosen?: { readonly name: string; readonly stats: FitStats };
  readonly notes: string[];
}

/** Local date of an hour in the building's zone. */
const isoDay = (ms: number | undefined, zone: string): string =>
  ms === undefined ? '?' : (DateTime.fromMillis(ms, { zone }).toISODate() ?? '?');

function runBaseline(data: PreparedSeries): SettingReport {
  let split = secondYearStart(data);
  if (split < 300 * 24) split = Math.min(data.n, 365 * 24);
  const notes = [
    'fitted on the first year, predicted from time and temperature alone (no residual correction)',
  ];
  if (data.n - split < 28 * 24) {
    return {
      setting: 'baseline',
      ran: false,
      reason: 'needs more than a year of data plus four weeks to predict',
      models: [],
      notes,
    };
  }
  const suff = assessSufficiency(data, { start: 0, end: split }, BASELINE_RULES);
  for (const issue of suff.issues) notes.push(`${issue.level} ${issue.code}: ${issue.message}`);
  if (!suff.sufficient) {
    return {
      setting: 'baseline',
      ran: false,
      reason: 'training year fails the baseline data sufficiency rules',
      models: [],
      notes,
    };
  }
  const r = baselineBacktest(data, { start: 0, end: split }, { start: split, end: data.n }, [
    seasonalNaive(52 * 168),
    towtForecaster(),
    towtForecaster({ segmentation: 'month-weighted', name: 'towt-month' }),
  ]);
  const chosen = r.models.find((m) => m.name === r.chosen);
  if (chosen) {
    const shift = levelShiftCheck(
      data.y.subarray(split),
      chosen.prediction,
      localMonthKeys(data, split, data.n),
    );
    if (shift.flagged) {
      notes.push(
        `level shift: ${shift.longestRun} consecutive months off the baseline by more than 30 % in one direction; ` +
          'the load changed for reasons the model cannot explain (non-routine), so the gap is not savings',
      );
    }
  }
  return {
    setting: 'baseline',
    ran: true,
    window: {
      train: `${isoDay(data.tsMs[0], data.timeZone)}..${isoDay(data.tsMs[split - 1], data.timeZone)}`,
      predicted: `${isoDay(data.tsMs[split], data.timeZone)}..${isoDay(data.tsMs[data.n - 1], data.timeZone)}`,
    },
    models: r.models.map((m) => ({ name: m.name, stats: m.predicted, heldOutMonths: m.heldOutMonths })),
    ...(chosen ? { chosen: { name: chosen.name, stats: chosen.predicted } } : {}),
    notes,
  };
}

function runDayAhead(
  data: PreparedSeries,
  onProgress?: (done: number, total: number) => void,
): SettingReport {
  const notes = [
    'each day forecast at local midnight from data before it; models refitted weekly, correction daily',
    data.hasTemperature
      ? 'observed temperature stands in for the weather forecast (a real forecast would add its own error)'
      : 'no temperature: time-of-week models only',
  ];
  const suff = assessSufficiency(data, { start: 0, end: data.n }, FORECAST_RULES);
  if (!suff.sufficient) {
    for (const issue of suff.issues) notes.push(`${issue.level} ${issue.code}: ${issue.message}`);
    return { setting: 'day-ahead', ran: false, reason: 'not enough data to forecast', models: [], notes };
  }
  const split = secondYearStart(data);
  const scoreFrom = split < data.n && split >= 300 * 24 ? split : 28 * 24;
  const r = dayAheadBacktest(data, dayAheadCandidates(), {
    scoreFrom,
    ...(onProgress ? { onProgress } : {}),
  });
  const days = Object.entries(r.choiceDays)
    .map(([k, v]) => `${k} ${v} d`)
    .join(', ');
  notes.push(`chosen each week by the lowest day-ahead RMSE over the previous four weeks (${days})`);
  return {
    setting: 'day-ahead',
    ran: true,
    window: {
      train: 'rolling, data before each day',
      predicted: `${isoDay(data.tsMs[scoreFrom], data.timeZone)}..${isoDay(data.tsMs[data.n - 1], data.timeZone)}`,
    },
    models: r.models.map((m) => ({ name: m.name, stats: m.stats })),
    chosen: { name: 'chosen', stats: r.chosen },
    notes,
  };
}

const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? (v * 100).toFixed(digits) : 'n/a');

function printSetting(out: CommandOutput, s: SettingReport): void {
  out.log('');
  out.log(
    `${s.setting === 'baseline' ? 'Baseline' : 'Day-ahead'} setting${s.window ? ` (predicted ${s.window.predicted})` : ''}`,
  );
  if (!s.ran) out.log(`  not run: ${s.reason ?? ''}`);
  if (s.models.length > 0) {
    out.log(
      `  ${'model'.padEnd(20)} ${'CV(RMSE) %'.padStart(10)} ${'NMBE %'.padStart(8)} ${'R²'.padStart(6)}  G14`,
    );
    const rows = [
      ...s.models,
      ...(s.chosen
        ? [{ name: `chosen${s.setting === 'baseline' ? `: ${s.chosen.name}` : ''}`, stats: s.chosen.stats }]
        : []),
    ];
    for (const m of rows) {
      out.log(
        `  ${m.name.padEnd(20)} ${fmt(m.stats.cvRmse).padStart(10)} ${fmt(m.stats.nmbe).padStart(8)} ${
          Number.isFinite(m.stats.r2) ? m.stats.r2.toFixed(2).padStart(6) : '   n/a'
        }  ${m.stats.meetsG14 ? 'meets' : 'fails'}`,
      );
    }
  }
  // A figure printed as n/a says why.
  const refused = new Map<string, string>();
  for (const m of [...s.models, ...(s.chosen ? [{ name: 'chosen', stats: s.chosen.stats }] : [])]) {
    const why = fitStatsRefusal(m.stats);
    if (why) refused.set(why, [refused.get(why), m.name].filter(Boolean).join(', '));
  }
  for (const [why, names] of refused) out.log(`  no figure for ${names}: ${why}`);
  if (s.ran && s.setting === 'baseline' && !s.chosen && s.models.length > 0)
    out.log('  no model chosen: none has a figure to choose by');
  for (const n of s.notes) out.log(`  note: ${n}`);
}

/** The setting with each model's refusal reason beside its (null) figures, for --json. */
function withReasons(s: SettingReport): unknown {
  return {
    ...s,
    models: s.models.map((m) => {
      const refused = fitStatsRefusal(m.stats);
      return refused ? { ...m, refused } : m;
    }),
  };
}

/** `quietwatt backtest`: returns the exit code (0 ok, 2 usage error, 1 unreadable input). */
export async function backtest(args: string[], out: CommandOutput): Promise<number> {
  const started = startMeterFileCommand(args, out, BACKTEST_USAGE, parseBacktestArgs);
  if (typeof started === 'number') return started;
  const { parsed, result } = started;
  const calendar = siteCalendar({ kind: parsed.holidays, timeZone: result.series.timeZone });
  const data = prepareSeries(result.series, calendar);
  const withData = result.series.kWh.filter((v) => v !== null).length;
  const bar =
    !parsed.json && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { stream: process.stderr, format: 'day-ahead [{bar}] {value}/{total} days' },
          cliProgress.Presets.shades_classic,
        )
      : null;
  const baseline = runBaseline(data);
  bar?.start(Math.ceil(data.n / 24), 0);
  const dayAhead = runDayAhead(data, bar ? (done) => bar.update(done) : undefined);
  bar?.stop();
  const s = result.settings;
  const summary = {
    files: parsed.files,
    layout: result.layout,
    timestampTimeZone: s.timestampTimeZone,
    buildingTimeZone: s.buildingTimeZone,
    hourEnding: s.hourEnding,
    zeroMeansMissing: s.zeroMeansMissing,
    stepMinutes: s.stepMinutes,
    unit: s.unit,
    column: s.valueColumn,
    hours: data.n,
    hoursWithData: withData,
    temperature: data.hasTemperature,
    badRows: result.badRows,
    holidayCalendar: calendar.id,
    from: isoDay(data.tsMs[0], data.timeZone),
    to: isoDay(data.tsMs[data.n - 1], data.timeZone),
  };
  if (parsed.json) {
    const replacer = (_k: string, v: unknown): unknown =>
      typeof v === 'number' && !Number.isFinite(v) ? null : v;
    out.log(
      JSON.stringify(
        { input: summary, settings: [withReasons(baseline), withReasons(dayAhead)] },
        replacer,
        2,
      ),
    );
    return 0;
  }
  out.log(
    `${parsed.files.join(', ')}: layout ${summary.layout}, column "${summary.column}" (${summary.unit}, ${summary.stepMinutes}-min rows)`,
  );
  out.log(
    `  timestamps ${summary.timestampTimeZone}${summary.hourEnding ? ', hour-ending' : ''}; building time zone ${summary.buildingTimeZone}; zero means missing: ${summary.zeroMeansMissing ? 'yes' : 'no'}; holidays: ${summary.holidayCalendar}`,
  );
  out.log(
    `  ${summary.from}..${summary.to}: ${summary.hours} hours, ${summary.hoursWithData} with a reading; temperature: ${summary.temperature ? 'yes' : 'no'}${summary.badRows ? `; ${summary.badRows} unreadable rows skipped` : ''}`,
  );
  printSetting(out, baseline);
  printSetting(out, dayAhead);
  return 0;
}
