import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { analyzeBaselineSavings, type BaselineAnalysis } from '../../domain/savings/analysis.js';
import { buildLedgerRows, totalOfKind } from '../../domain/savings/ledger.js';
import { parseDesign } from '../../domain/savings/randomized-design.js';
import {
  dailyOutcomes,
  estimateRandomized,
  type RandomizedEstimate,
} from '../../domain/savings/randomized-estimate.js';
import { CN_NATIONAL_GRID_2022, TARIFF_PRESETS } from '../../domain/tariff/presets.js';
import type { CommandOutput } from '../output.js';
import { baselineRefusals, randomizedRefusal } from './figure-refusals.js';
import {
  type CommandOptions,
  METER_FILE_OPTIONS,
  type MeterFileArgs,
  meterFileReadOptions,
  parseCommand,
  startMeterFileCommand,
} from './meter-file-options.js';

export const SAVINGS_USAGE = `Usage: quietwatt savings FILE.csv [FILE.csv ...] --baseline-end DATE [options]
       quietwatt savings FILE.csv [FILE.csv ...] --design DESIGN.json [options]

Avoided energy, its share of the adjusted baseline, and its uncertainty.

Baseline method (--baseline-end): a time-of-week-and-temperature model is fitted on the hours before
DATE (local midnight in the building's time zone) and predicts the hours after it; avoided energy =
adjusted baseline - measured. Two 68 % / 90 % intervals are printed: ASHRAE Guideline 14 (hourly
noise, with autocorrelation) and an empirical one from held-out months of the baseline period
(which also carries the building's month-to-month drift; trust this one). A building whose load
shifted for reasons the model cannot explain is flagged and given no figure.

Randomized method (--design): days assigned to control and treatment by a saved design
(JSON, as persisted by the service) are compared after weather normalisation, day as the unit.

Files: as for \`quietwatt backtest\` ("timestamp,kWh[,temperatureC]" or a shared-data layout).

Options:
  --baseline-end DATE   end of the baseline period, YYYY-MM-DD (exclusive)
  --baseline-start DATE start of the baseline period (default: first reading)
  --reporting-end DATE  end of the reporting period (default: last reading)
  --design FILE         randomized design JSON instead of a baseline period
  --tariff ID           price the avoided energy with a built-in tariff (${TARIFF_PRESETS.map((t) => t.id).join(', ')})
                        and count CO2 at ${CN_NATIONAL_GRID_2022.kgCo2PerKWh} kg/kWh (${CN_NATIONAL_GRID_2022.id})
  --tz ZONE             time zone of timestamps without an offset
  --building-tz ZONE    IANA zone the building lives by
  --hour-ending         timestamps mark the end of each interval
  --zero-missing        a reading of 0 is a missing reading (default for Cambridge and BDG2); without
                        it, runs of zeros in a simple file are read as use, with a warning
  --no-zero-missing     a reading of 0 is a real zero
  --column NAME         the meter / sub-load column where a file has several
  --temperature FILE    weather CSV to join; repeatable
  --json                machine-readable output
  --help                this text`;

interface Parsed extends MeterFileArgs {
  baselineEnd?: string;
  baselineStart?: string;
  reportingEnd?: string;
  design?: string;
  tariff?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const SAVINGS_OPTIONS = {
  'baseline-end': { type: 'string', needs: 'a date YYYY-MM-DD' },
  'baseline-start': { type: 'string', needs: 'a date YYYY-MM-DD' },
  'reporting-end': { type: 'string', needs: 'a date YYYY-MM-DD' },
  design: { type: 'string', needs: 'a file' },
  tariff: { type: 'string', needs: 'a tariff id' },
  ...METER_FILE_OPTIONS,
  help: { type: 'boolean' },
} as const satisfies CommandOptions;

function parseSavingsArgs(args: string[]): Parsed | string {
  const parsed = parseCommand(args, SAVINGS_OPTIONS);
  if (typeof parsed === 'string') return parsed;
  const { values, positionals, tokens } = parsed;
  const p: Parsed = {
    files: positionals,
    read: meterFileReadOptions(values, tokens),
    json: values.json ?? false,
  };
  for (const name of ['baseline-end', 'baseline-start', 'reporting-end'] as const) {
    const v = values[name];
    if (v !== undefined && !DATE.test(v))
      return `--${name} needs a date YYYY-MM-DD, got ${JSON.stringify(v)}`;
  }
  if (values['baseline-end'] !== undefined) p.baselineEnd = values['baseline-end'];
  if (values['baseline-start'] !== undefined) p.baselineStart = values['baseline-start'];
  if (values['reporting-end'] !== undefined) p.reportingEnd = values['reporting-end'];
  if (values.design !== undefined) p.design = values.design;
  if (values.tariff !== undefined) p.tariff = values.tariff;
  if (positionals.length === 0) return 'no CSV file given';
  if (!p.baselineEnd && !p.design)
    return 'give --baseline-end DATE (baseline method) or --design FILE (randomized)';
  if (p.baselineEnd && p.design) return '--baseline-end and --design are two different methods: give one';
  if (p.tariff && !TARIFF_PRESETS.some((t) => t.id === p.tariff)) {
    return `unknown tariff ${JSON.stringify(p.tariff)} (built-in: ${TARIFF_PRESETS.map((t) => t.id).join(', ')})`;
  }
  return p;
}

const pct = (x: number, digits = 1): string =>
  Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : 'n/a';
const num = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const kwh = (x: number): string => `${Math.round(x).toLocaleString('en-US')} kWh`;
const isoDay = (ms: number | undefined, zone: string): string =>
  ms === undefined ? '?' : (DateTime.fromMillis(ms, { zone }).toISODate() ?? '?');
const finiteOrNull = (_k: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isFinite(v) ? null : v;

function baselineJson(a: BaselineAnalysis, tz: string, money: MoneyLine | null): unknown {
  const r = a.report;
  return {
    method: 'baseline',
    baselineVersion: r.baselineVersion,
    baseline: {
      from: isoDay(a.model.trainStartMs, tz),
      to: isoDay(a.model.trainEndMs - 1, tz),
      hours: a.model.inSample.n,
      cvRmse: a.model.inSample.cvRmse,
      nmbe: a.model.inSample.nmbe,
      r2: a.model.inSample.r2,
      rho: a.model.rho,
      heldOutMonths: a.model.heldOut.map((m) => ({ start: isoDay(m.startMs, tz), error: m.error })),
      heldOutRmsError: a.model.heldOutRmsError,
    },
    reporting: {
      from: isoDay(a.data.tsMs[a.reporting.start], tz),
      to: isoDay(a.data.tsMs[a.reporting.end - 1], tz),
      hours: r.avoided.hours.length,
      missingHours: r.avoided.missingHours,
      adjustedBaselineKWh: r.avoided.baselineKWh,
      measuredKWh: r.avoided.measuredKWh,
    },
    baselineDataIssues: a.model.sufficiency.issues,
    unusable: r.unusable,
    ...(r.savings ? {} : { refused: baselineRefusals(r) }),
    nonRoutine: r.nonRoutine.map((f) => ({
      where: f.where,
      message: f.message,
      step: f.shift.step,
      t: f.shift.t,
    })),
    savings: r.savings
      ? {
          avoidedKWh: r.savings.avoidedKWh,
          savingsShare: r.savings.savingsShare,
          empirical: r.savings.empirical,
          guideline14: r.savings.g14,
          ...(money ? { cost: money } : {}),
        }
      : null,
  };
}

interface MoneyLine {
  readonly tariff: string;
  readonly avoidedCost: number;
  /** ISO 4217 code of `avoidedCost`. */
  readonly currency: string;
  readonly avoidedCo2Kg: number;
  readonly emissionFactor: string;
}

function money(a: BaselineAnalysis, tariffId: string | undefined, tz: string): MoneyLine | null {
  const tariff = TARIFF_PRESETS.find((t) => t.id === tariffId);
  if (!tariff || !a.report.savings) return null;
  const rows = buildLedgerRows(a.report.avoided.hours, {
    siteId: 'cli',
    spaceId: 'file',
    endUse: 'total',
    kind: 'measured',
    method: 'baseline',
    baselineVersion: a.report.baselineVersion,
    tariff,
    emissionFactor: CN_NATIONAL_GRID_2022,
    timeZone: tz,
  });
  const t = totalOfKind(rows, 'measured');
  return {
    tariff: tariff.id,
    avoidedCost: t.cost,
    currency: tariff.currency,
    avoidedCo2Kg: t.co2Kg,
    emissionFactor: `${CN_NATIONAL_GRID_2022.id} (${CN_NATIONAL_GRID_2022.kgCo2PerKWh} kg/kWh, ${CN_NATIONAL_GRID_2022.year})`,
  };
}

function printBaseline(out: CommandOutput, a: BaselineAnalysis, tz: string, m: MoneyLine | null): void {
  const r = a.report;
  const s = a.model.inSample;
  out.log(
    `baseline ${isoDay(a.model.trainStartMs, tz)}..${isoDay(a.model.trainEndMs - 1, tz)}: ${s.n} hours; ` +
      `in-sample CV(RMSE) ${pct(s.cvRmse)}, NMBE ${pct(s.nmbe, 2)}, R² ${num(s.r2, 3)}, residual lag-1 autocorrelation ${num(a.model.rho, 2)}`,
  );
  out.log(
    `  held-out months: ${a.model.heldOut.length}, error of the monthly total ${a.model.heldOut
      .map((h) => pct(h.error, 0).replace(' ', ''))
      .join(' ')}; RMS ${pct(a.model.heldOutRmsError)}`,
  );
  out.log(
    `reporting ${isoDay(a.data.tsMs[a.reporting.start], tz)}..${isoDay(a.data.tsMs[a.reporting.end - 1], tz)}: ` +
      `${r.avoided.hours.length} hours with a reading${r.avoided.missingHours ? ` (${r.avoided.missingHours} missing, skipped)` : ''}`,
  );
  out.log(`  adjusted baseline ${kwh(r.avoided.baselineKWh)}, measured ${kwh(r.avoided.measuredKWh)}`);
  if (!r.savings) {
    for (const reason of baselineRefusals(r)) out.log(`  NO SAVINGS FIGURE: ${reason}`);
    if (r.nonRoutine.length > 0)
      out.log(
        '  Record the known event (exclude the period or adjust the baseline) or start a new baseline.',
      );
    return;
  }
  const sv = r.savings;
  out.log(`  avoided energy ${kwh(sv.avoidedKWh)} = ${pct(sv.savingsShare)} of the adjusted baseline`);
  for (const e of sv.empirical) {
    const g = sv.g14.intervals.find((i) => i.confidence === e.confidence);
    out.log(
      `  ${Math.round(e.confidence * 100)} %: empirical ±${kwh(e.halfWidthKWh)} (±${pct(e.halfWidthShare)}, ${pct(e.lowShare)} .. ${pct(e.highShare)})` +
        (g
          ? `; Guideline 14 ±${kwh(g.halfWidthKWh)} (±${pct(g.halfWidthShare)}${g.relativeToSavings !== null ? `, ${pct(g.relativeToSavings, 0)} of the savings` : ''})`
          : ''),
    );
  }
  out.log(
    `  Guideline 14 covers hourly noise only (n' = ${sv.g14.nEffective.toFixed(0)} of ${s.n}); the empirical interval also carries month-to-month drift.`,
  );
  if (m) {
    out.log(
      `  at tariff ${m.tariff}: ${m.avoidedCost.toFixed(2)} ${m.currency}; CO2 ${m.avoidedCo2Kg.toFixed(0)} kg at ${m.emissionFactor}`,
    );
  }
}

function printRandomized(out: CommandOutput, e: RandomizedEstimate): void {
  out.log(
    `randomized: ${e.treatedDays} treated and ${e.controlDays} control days${e.usedTemperature ? ', weather-normalised with degree days' : ', no temperature'}`,
  );
  const refused = randomizedRefusal(e);
  if (refused) {
    out.log(`  NO SAVINGS FIGURE: ${refused}`);
    return;
  }
  out.log(`  savings on treated days ${pct(e.savingsShare)} (${kwh(e.avoidedKWh)} over the analysis hours)`);
  for (const i of e.intervals) {
    out.log(
      `  ${Math.round(i.confidence * 100)} %: ${pct(i.lowShare)} .. ${pct(i.highShare)} (day as the unit, weeks as clusters)`,
    );
  }
}

export async function savings(args: string[], out: CommandOutput): Promise<number> {
  const started = startMeterFileCommand(args, out, SAVINGS_USAGE, parseSavingsArgs);
  if (typeof started === 'number') return started;
  const { parsed, result } = started;
  const series = result.series;
  const tz = series.timeZone;
  const header = `${parsed.files.join(', ')}: layout ${result.layout}, building time zone ${tz}, ${series.tsMs.length} hours`;
  try {
    if (parsed.design) {
      const design = parseDesign(readFileSync(parsed.design, 'utf8'));
      const estimate = estimateRandomized(dailyOutcomes(series, design));
      const refused = randomizedRefusal(estimate);
      if (parsed.json)
        out.log(
          JSON.stringify(
            { method: 'randomized', ...estimate, ...(refused ? { refused } : {}) },
            finiteOrNull,
            2,
          ),
        );
      else {
        out.log(header);
        printRandomized(out, estimate);
      }
      return 0;
    }
    const at = (d: string | undefined): number | undefined =>
      d === undefined ? undefined : DateTime.fromISO(d, { zone: tz }).toMillis();
    const window: { baselineEndMs: number; baselineStartMs?: number; reportingEndMs?: number } = {
      baselineEndMs: at(parsed.baselineEnd) as number,
    };
    const start = at(parsed.baselineStart);
    const end = at(parsed.reportingEnd);
    if (start !== undefined) window.baselineStartMs = start;
    if (end !== undefined) window.reportingEndMs = end;
    const analysis = analyzeBaselineSavings(series, window);
    const m = money(analysis, parsed.tariff, tz);
    if (parsed.json) out.log(JSON.stringify(baselineJson(analysis, tz, m), finiteOrNull, 2));
    else {
      out.log(header);
      printBaseline(out, analysis, tz, m);
    }
    return 0;
  } catch (e) {
    out.error(`savings: ${(e as Error).message}`);
    return 1;
  }
}
