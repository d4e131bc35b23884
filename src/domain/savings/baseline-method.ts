import type { PreparedSeries } from '../forecast/prepared.js';
import { predictTowt } from '../forecast/towt.js';
import type { IndexRange } from '../forecast/types.js';
import { type AvoidedSummary, avoidedEnergy, type ReportingHour } from './avoided.js';
import {
  type BaselineModel,
  type BaselineOptions,
  DEFAULT_NON_ROUTINE,
  isShiftNonRoutine,
} from './baseline-fit.js';
import { adjustBaseline } from './events.js';
import { type LevelShift, largestLevelShift } from './level-shift.js';
import { twoSidedT } from './student-t.js';
import { CONFIDENCE_LEVELS, type G14Result, g14Uncertainty } from './uncertainty.js';

const WEEK_HOURS = 168;

const monthLabel = (ms: number | undefined): string =>
  ms === undefined ? 'a held-out month' : new Date(ms).toISOString().slice(0, 7);

export interface EmpiricalInterval {
  readonly confidence: number;
  /** Half-width as a share of the adjusted baseline. */
  readonly halfWidthShare: number;
  readonly halfWidthKWh: number;
  readonly lowShare: number;
  readonly highShare: number;
}

export interface NonRoutineFinding {
  readonly where: 'baseline' | 'reporting';
  readonly shift: LevelShift;
  readonly message: string;
}

export interface BaselineSavingsReport {
  readonly method: 'baseline';
  readonly baselineVersion: string;
  /** Hourly avoided energy and totals (kept for diagnostics even when flagged). */
  readonly avoided: AvoidedSummary;
  /** Non-routine changes found; when any, no savings figure is given. */
  readonly nonRoutine: readonly NonRoutineFinding[];
  /** Why the baseline cannot give a figure at all (too little data); empty normally. */
  readonly unusable: readonly string[];
  /** Null when flagged non-routine or the baseline is unusable. */
  readonly savings: {
    readonly avoidedKWh: number;
    readonly savingsShare: number;
    readonly g14: G14Result;
    readonly empirical: readonly EmpiricalInterval[];
  } | null;
}

/**
 * Empirical interval: the held-out monthly errors of the baseline period give the spread of the
 * reported share when nothing was saved. Year-to-year drift does not average out over a longer
 * reporting window the way hourly noise does, so the monthly spread is used as it is, not divided
 * by the number of months.
 */
export function empiricalIntervals(
  model: BaselineModel,
  savingsShare: number,
  baselineKWh: number,
  confidences: readonly number[] = CONFIDENCE_LEVELS,
): EmpiricalInterval[] {
  const k = model.heldOut.length;
  if (k < 2) return [];
  return confidences.map((confidence) => {
    const half = twoSidedT(confidence, k - 1) * model.heldOutRmsError;
    return {
      confidence,
      halfWidthShare: half,
      halfWidthKWh: half * Math.abs(baselineKWh),
      lowShare: savingsShare - half,
      highShare: savingsShare + half,
    };
  });
}

/** Weekly relative errors (baseline - measured) / baseline over whole weeks of the reporting range. */
function weeklyShares(hours: readonly ReportingHour[]): number[] {
  const out: number[] = [];
  for (let w = 0; w + WEEK_HOURS <= hours.length; w += WEEK_HOURS) {
    let b = 0;
    let m = 0;
    let n = 0;
    for (let i = w; i < w + WEEK_HOURS; i++) {
      const h = hours[i] as ReportingHour;
      if (h.measuredKWh === null || !Number.isFinite(h.baselineKWh)) continue;
      b += h.baselineKWh;
      m += h.measuredKWh;
      n++;
    }
    if (n >= WEEK_HOURS / 2 && b > 0) out.push((b - m) / b);
  }
  return out;
}

/**
 * IPMVP Option C style savings over `reporting`: adjusted baseline (model prediction from time and
 * temperature, plus recorded adjustments) minus measured, with the Guideline 14 and the empirical
 * intervals. Savings that start with the reporting period shift its errors once, at the start; a
 * level shift inside the reporting period, or inside the baseline period, is something else, and
 * the report then carries the finding instead of a figure.
 */
export function reportBaselineSavings(
  model: BaselineModel,
  data: PreparedSeries,
  reporting: IndexRange,
  options: BaselineOptions & { readonly confidences?: readonly number[] } = {},
): BaselineSavingsReport {
  const thresholds = options.nonRoutine ?? DEFAULT_NON_ROUTINE;
  const predicted = Array.from(predictTowt(model.params, data, reporting));
  const tsMs = Array.from(data.tsMs.subarray(reporting.start, reporting.end));
  const adjusted = options.events?.length ? adjustBaseline(tsMs, predicted, options.events) : predicted;
  const hours: ReportingHour[] = tsMs.map((startMs, i) => {
    const y = data.y[reporting.start + i] as number;
    return { startMs, measuredKWh: Number.isNaN(y) ? null : y, baselineKWh: adjusted[i] as number };
  });
  const avoided = avoidedEnergy(hours);

  const nonRoutine: NonRoutineFinding[] = [];
  if (model.baselineUnstable && model.baselineShift) {
    const s = model.baselineShift;
    nonRoutine.push({
      where: 'baseline',
      shift: s,
      message: `within the baseline period the load ${s.step > 0 ? 'fell' : 'rose'} by about ${Math.abs(s.step * 100).toFixed(0)} % of the model's prediction (t = ${s.t.toFixed(1)}) from ${monthLabel(model.heldOut[s.splitIndex]?.startMs)} on: the model describes no single state of the building`,
    });
  }
  const reportingShift = largestLevelShift(weeklyShares(hours), 4);
  if (isShiftNonRoutine(reportingShift, thresholds) && reportingShift) {
    nonRoutine.push({
      where: 'reporting',
      shift: reportingShift,
      message: `the load ${reportingShift.step > 0 ? 'fell' : 'rose'} by about ${Math.abs(reportingShift.step * 100).toFixed(0)} % of the baseline (t = ${reportingShift.t.toFixed(1)}) after week ${reportingShift.splitIndex} of the reporting period, not at its start`,
    });
  }
  const unusable = [...model.unusable];
  if (avoided.hours.length === 0)
    unusable.push('the reporting period has no hour with both a reading and a prediction');
  if (nonRoutine.length > 0 || unusable.length > 0) {
    return {
      method: 'baseline',
      baselineVersion: model.version,
      avoided,
      nonRoutine,
      unusable,
      savings: null,
    };
  }
  const confidences = options.confidences ?? CONFIDENCE_LEVELS;
  const g14 = g14Uncertainty(
    {
      cvRmse: model.inSample.cvRmse,
      nBaseline: model.inSample.n,
      parameters: model.params.p,
      rho: model.rho,
      mReporting: avoided.hours.length,
      adjustedBaselineKWh: avoided.baselineKWh,
      savingsKWh: avoided.avoidedKWh,
    },
    confidences,
  );
  return {
    method: 'baseline',
    baselineVersion: model.version,
    avoided,
    nonRoutine,
    unusable,
    savings: {
      avoidedKWh: avoided.avoidedKWh,
      savingsShare: avoided.savingsFraction,
      g14,
      empirical: empiricalIntervals(model, avoided.savingsFraction, avoided.baselineKWh, confidences),
    },
  };
}
