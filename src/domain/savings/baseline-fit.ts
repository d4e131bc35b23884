import type { HolidayCalendar } from '../calendar/holidays.js';
import { type FitStats, fitStats } from '../forecast/metrics.js';
import { type PreparedSeries, prepareSeries } from '../forecast/prepared.js';
import { assessSufficiency, BASELINE_RULES, type SufficiencyReport } from '../forecast/sufficiency.js';
import { fitTowt, predictTowt, type TowtOptions, type TowtParams } from '../forecast/towt.js';
import type { HourlySeries, IndexRange } from '../forecast/types.js';
import { type NonRoutineEvent, withExclusions } from './events.js';
import { type LevelShift, largestLevelShift } from './level-shift.js';
import { lag1Autocorrelation } from './uncertainty.js';

export interface NonRoutineThresholds {
  /** Smallest step in the relative error, as a share of the load, that counts as non-routine. */
  readonly minStepShare: number;
  /** Smallest |t| of that step. */
  readonly minT: number;
}

/**
 * A level shift must be both large (a fifth of the load) and clear (well beyond the spread of the
 * errors around it). Chosen once for every building on the shared data, see docs/savings.md.
 */
export const DEFAULT_NON_ROUTINE: NonRoutineThresholds = { minStepShare: 0.2, minT: 4 };

export interface BaselineOptions {
  readonly towt?: TowtOptions;
  readonly calendar?: HolidayCalendar;
  readonly events?: readonly NonRoutineEvent[];
  /** A held-out month needs at least this many metered hours to count. */
  readonly minHoursPerHeldOutMonth?: number;
  readonly nonRoutine?: NonRoutineThresholds;
}

/** Out-of-sample error of one held-out month of the baseline period. */
export interface HeldOutMonth {
  readonly startMs: number;
  readonly hours: number;
  readonly measuredKWh: number;
  readonly predictedKWh: number;
  /** (predicted - measured) / predicted: the savings share the method would report with no savings. */
  readonly error: number;
}

export interface BaselineModel {
  /** Identifies the model in the ledger: method, training window. */
  readonly version: string;
  readonly params: TowtParams;
  readonly trainStartMs: number;
  readonly trainEndMs: number;
  readonly inSample: FitStats;
  /** Lag-1 autocorrelation of the in-sample hourly residuals. */
  readonly rho: number;
  readonly heldOut: readonly HeldOutMonth[];
  /** Root mean square of the held-out monthly errors (bias included). */
  readonly heldOutRmsError: number;
  /** Largest step in the held-out errors over the baseline period (null when too few months). */
  readonly baselineShift: LevelShift | null;
  /** True when the baseline period itself changed level: the model then describes no single building. */
  readonly baselineUnstable: boolean;
  /** CalTRACK-style data sufficiency of the baseline period (reported; see `usable`). */
  readonly sufficiency: SufficiencyReport;
  /**
   * Why no savings can be computed from this model at all (empty when it can): too few hours for
   * the model, or too few held-out months to calibrate the interval and check for level shifts.
   */
  readonly unusable: readonly string[];
}

/** Held-out months needed: two segments of three for the level-shift check. */
export const MIN_HELD_OUT_MONTHS = 6;

/** Month ranges [start, end) of local calendar months inside a range. */
export function monthRanges(data: PreparedSeries, range: IndexRange): IndexRange[] {
  const out: IndexRange[] = [];
  let start = range.start;
  for (let i = range.start + 1; i <= range.end; i++) {
    if (i === range.end || data.month[i] !== data.month[i - 1]) {
      out.push({ start, end: i });
      start = i;
    }
  }
  return out;
}

/** Sums of measured and predicted energy over hours where both exist. */
export function pairedSums(
  y: Float64Array,
  predicted: Float64Array,
  range: IndexRange,
): { hours: number; measuredKWh: number; predictedKWh: number } {
  let hours = 0;
  let measuredKWh = 0;
  let predictedKWh = 0;
  for (let i = range.start; i < range.end; i++) {
    const m = y[i] as number;
    const p = predicted[i - range.start] as number;
    if (Number.isNaN(m) || Number.isNaN(p)) continue;
    hours++;
    measuredKWh += m;
    predictedKWh += p;
  }
  return { hours, measuredKWh, predictedKWh };
}

export function isShiftNonRoutine(shift: LevelShift | null, thresholds: NonRoutineThresholds): boolean {
  return (
    shift !== null && Math.abs(shift.step) >= thresholds.minStepShare && Math.abs(shift.t) >= thresholds.minT
  );
}

/** The series as the M&V code sees it: operator exclusions applied, then prepared for the model. */
export function prepareForMv(series: HourlySeries, options: BaselineOptions): PreparedSeries {
  const kWh = options.events?.length ? withExclusions(series.tsMs, series.kWh, options.events) : series.kWh;
  return prepareSeries({ ...series, kWh }, options.calendar);
}

/**
 * Fits the baseline model on `baseline` and calibrates it: each month of the baseline period is
 * held out in turn, the model refitted without it and asked to predict it. Those errors are what
 * the reporting period's errors look like when nothing was saved, including the month-to-month
 * drift that hourly residuals know nothing about.
 */
export function fitBaseline(
  data: PreparedSeries,
  baseline: IndexRange,
  options: BaselineOptions = {},
): BaselineModel {
  const towt = options.towt ?? {};
  const params = fitTowt(data, baseline, towt);
  const predicted = predictTowt(params, data, baseline);
  const observed = data.y.subarray(baseline.start, baseline.end);
  const inSample = fitStats(observed, predicted, params.p);
  const residuals = Array.from(observed, (v, i) => v - (predicted[i] as number));
  const rho = lag1Autocorrelation(residuals);

  const minHours = options.minHoursPerHeldOutMonth ?? 24 * 14;
  const heldOut: HeldOutMonth[] = [];
  for (const month of monthRanges(data, baseline)) {
    const y = Float64Array.from(data.y);
    y.fill(Number.NaN, month.start, month.end);
    const without = fitTowt({ ...data, y }, baseline, towt);
    const sums = pairedSums(data.y, predictTowt(without, data, month), month);
    if (sums.hours < minHours || sums.predictedKWh <= 0) continue;
    heldOut.push({
      startMs: data.tsMs[month.start] as number,
      ...sums,
      error: (sums.predictedKWh - sums.measuredKWh) / sums.predictedKWh,
    });
  }
  const heldOutRmsError =
    heldOut.length > 0
      ? Math.sqrt(heldOut.reduce((s, m) => s + m.error ** 2, 0) / heldOut.length)
      : Number.NaN;
  const baselineShift = largestLevelShift(
    heldOut.map((m) => m.error),
    3,
  );
  const unusable: string[] = [];
  if (!(inSample.n > 2 * params.p)) {
    unusable.push(
      `the baseline has ${inSample.n} hours with a reading for a model of ${params.p} parameters`,
    );
  } else if (inSample.notAssessable !== undefined) {
    // Savings against a baseline of about nothing are no savings; Guideline 14 cannot judge it.
    unusable.push(`the model cannot be assessed against Guideline 14: ${inSample.notAssessable}`);
  }
  if (heldOut.length < MIN_HELD_OUT_MONTHS) {
    unusable.push(
      `${heldOut.length} baseline months have enough readings to be held out; ${MIN_HELD_OUT_MONTHS} are needed to calibrate the interval`,
    );
  }
  const trainStartMs = data.tsMs[baseline.start] as number;
  const trainEndMs = (data.tsMs[baseline.end - 1] as number) + 3_600_000;
  return {
    version: `towt-${params.segmentation}:${new Date(trainStartMs).toISOString()}/${new Date(trainEndMs).toISOString()}`,
    params,
    trainStartMs,
    trainEndMs,
    inSample,
    rho,
    heldOut,
    heldOutRmsError,
    baselineShift,
    baselineUnstable: isShiftNonRoutine(baselineShift, options.nonRoutine ?? DEFAULT_NON_ROUTINE),
    sufficiency: assessSufficiency(data, baseline, BASELINE_RULES),
    unusable,
  };
}
