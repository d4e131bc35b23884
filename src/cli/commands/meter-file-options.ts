import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import type { ReadOptions, ReadResult } from '../../adapters/csv/read-meter-csv.js';
import { readMeterFiles } from '../../adapters/csv/shared-data.js';
import type { CommandOutput } from '../output.js';

/** One option for `util.parseArgs`; `needs` words the value a string option takes, for its error message. */
type CommandOption =
  | { readonly type: 'string'; readonly multiple?: boolean; readonly short?: string; readonly needs: string }
  | { readonly type: 'boolean'; readonly short?: string };
export type CommandOptions = Readonly<Record<string, CommandOption>>;

/** The meter-file reading options shared by `backtest` and `savings` (and, in part, `import`). */
export const METER_FILE_OPTIONS = {
  tz: { type: 'string', needs: 'a zone, e.g. --tz UTC or --tz Asia/Shanghai' },
  'building-tz': { type: 'string', needs: 'an IANA zone, e.g. --building-tz Europe/London' },
  'hour-ending': { type: 'boolean' },
  'zero-missing': { type: 'boolean' },
  'no-zero-missing': { type: 'boolean' },
  column: { type: 'string', needs: 'a column name' },
  temperature: { type: 'string', multiple: true, needs: 'a file' },
  json: { type: 'boolean' },
} as const satisfies CommandOptions;

/** What a meter-file command's arguments come to: its files, how to read them, and --json. */
export interface MeterFileArgs {
  readonly files: string[];
  readonly read: ReadOptions;
  readonly json: boolean;
}

/** What `util.parseArgs` returns for these options in strict mode. */
export type ParsedCommand<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; tokens: true; strict: true }>
>;

/**
 * `util.parseArgs` with this CLI's rules and messages, each naming the option and the bad value: an
 * unknown option is refused; a string option needs a value, and one that starts with `--` is taken for
 * a forgotten value (`--tz --json` is a usage error, not a zone named "--json"), while `--tz=-5` or
 * `--column -x` pass. Returns the parsed command or the usage error.
 */
export function parseCommand<O extends CommandOptions>(
  args: readonly string[],
  options: O,
): ParsedCommand<O> | string {
  // Non-strict so the checks and messages below are ours; after them the result is what strict mode gives.
  const parsed = parseArgs({
    args,
    options: options as ParseArgsConfig['options'],
    strict: false,
    tokens: true,
    allowPositionals: true,
  });
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const option = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!option) return `unknown option ${t.rawName}`;
    if (option.type === 'boolean' && t.value !== undefined) {
      return `${t.rawName} takes no value, got ${JSON.stringify(t.value)}`;
    }
    if (option.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('--')))) {
      return `${t.rawName} needs ${option.needs}, got ${JSON.stringify(t.value ?? null)}`;
    }
  }
  return parsed as unknown as ParsedCommand<O>;
}

type MeterFileValues = ParsedCommand<typeof METER_FILE_OPTIONS>['values'];

/**
 * The csv reader options the meter-file flags ask for. `tokens` decide between --zero-missing and
 * --no-zero-missing: the later one wins.
 */
export function meterFileReadOptions(
  values: Partial<MeterFileValues>,
  tokens: readonly ({ kind: 'option'; name: string } | { kind: 'positional' | 'option-terminator' })[],
): ReadOptions {
  const read: { -readonly [K in keyof ReadOptions]: ReadOptions[K] } = {};
  if (values.tz !== undefined) read.timestampTimeZone = values.tz;
  if (values['building-tz'] !== undefined) read.buildingTimeZone = values['building-tz'];
  if (values['hour-ending']) read.hourEnding = true;
  const zero = tokens.findLast(
    (t) => t.kind === 'option' && (t.name === 'zero-missing' || t.name === 'no-zero-missing'),
  );
  if (zero && 'name' in zero) read.zeroMeansMissing = zero.name === 'zero-missing';
  if (values.column !== undefined) read.column = values.column;
  if (values.temperature && values.temperature.length > 0) read.temperatureFiles = values.temperature;
  return read;
}

/**
 * The start every meter-file command shares: --help anywhere prints the usage (exit 0), a usage error
 * is printed with the usage (exit 2), files that cannot be read are named (exit 1). Returns the exit
 * code, or the parsed arguments and what the files held.
 */
export function startMeterFileCommand<P extends MeterFileArgs>(
  args: string[],
  out: CommandOutput,
  usage: string,
  parse: (args: string[]) => P | string,
): { parsed: P; result: ReadResult } | number {
  if (args.includes('--help')) {
    out.log(usage);
    return 0;
  }
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    out.error(`${parsed}\n\n${usage}`);
    return 2;
  }
  let result: ReadResult;
  try {
    result = readMeterFiles(parsed.files, parsed.read);
  } catch (e) {
    out.error(`cannot read ${parsed.files.join(', ')}: ${(e as Error).message}`);
    return 1;
  }
  const zeros = zeroRunsWarning(result);
  if (zeros) out.error(zeros);
  return { parsed, result };
}

/** The warning for runs of zeros read as consumption (stderr, so --json output stays clean). */
export function zeroRunsWarning(result: ReadResult): string | undefined {
  const z = result.zeroRuns;
  if (!z) return undefined;
  const step = result.settings.stepMinutes;
  const hours = (rows: number) => `${Number(((rows * step) / 60).toFixed(1))} h`;
  const from = DateTime.fromMillis(z.longestStartMs, { zone: result.series.timeZone }).toFormat(
    'yyyy-MM-dd HH:mm',
  );
  return (
    `warning: ${z.runs} run(s) of consecutive zero readings (${z.rows} rows, ${hours(z.rows)}; the longest ${hours(z.longestRows)} from ${from}) are read as zero consumption. ` +
    'If the meter or the export wrote 0 for a missing reading, pass --zero-missing to treat them as gaps.'
  );
}
