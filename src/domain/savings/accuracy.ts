import { DateTime } from 'luxon';
import type { HourlySeries } from '../forecast/types.js';
import { rangeOf } from './analysis.js';
import { type BaselineOptions, fitBaseline, prepareForMv } from './baseline-fit.js';
import { reportBaselineSavings } from './baseline-method.js';
import { assignDays } from './randomized-design.js';
import { dailyOutcomes, estimateRandomized } from './randomized-estimate.js';

/**
 * The accuracy experiment of docs/savings.md, shared by the integration test and the benchmark:
 * take real meter data, remove a known share of the load in a reporting window, and see whether
 * each method's interval holds the share removed (and zero, when nothing was removed).
 */
export type AccuracyMethod = 'baseline-g14' | 'baseline-empirical' | 'randomized';

export interface AccuracyCase {
  readonly id: string;
  readonly window: string;
  readonly method: AccuracyMethod;
  /** Estimated share saved with the known share removed. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly holdsTruth: boolean;
  /** The same with nothing removed: does the interval hold zero? */
  readonly holdsZero: boolean;
  readonly halfWidth: number;
}

export interface BaselineAccuracy {
  readonly id: string;
  /** Non-routine findings in any window (with or without the planted savings). */
  readonly flagged: boolean;
  readonly findings: readonly string[];
  /** True when every window of a flagged building came back without a savings figure. */
  readonly noFigureWhenFlagged: boolean;
  /** Why the baseline could give no figure at all (too little data). */
  readonly unusable: readonly string[];
  readonly cases: readonly AccuracyCase[];
}

export interface TimeWindow {
  readonly label: string;
  readonly fromMs: number;
  readonly toMs: number;
}

function scaled(series: HourlySeries, keep: (tsMs: number) => boolean, factor: number): HourlySeries {
  const kWh = series.kWh.map((v, i) => (v !== null && keep(series.tsMs[i] as number) ? v * factor : v));
  return { ...series, kWh };
}

/** Baseline method over reporting windows after `baselineEndMs`, 90 % intervals. */
export function baselineAccuracy(
  id: string,
  series: HourlySeries,
  opts: {
    readonly baselineStartMs?: number;
    readonly baselineEndMs: number;
    readonly windows: readonly TimeWindow[];
    readonly share: number;
    readonly baseline?: BaselineOptions;
  },
): BaselineAccuracy {
  const options: BaselineOptions = {
    ...opts.baseline,
    towt: { segmentation: 'none', ...opts.baseline?.towt },
  };
  const data = prepareForMv(series, options);
  const baseline = rangeOf(data.tsMs, opts.baselineStartMs ?? (data.tsMs[0] as number), opts.baselineEndMs);
  const model = fitBaseline(data, baseline, options);
  const cases: AccuracyCase[] = [];
  const findings: string[] = [];
  let withFigure = 0;
  for (const w of opts.windows) {
    const r = rangeOf(data.tsMs, w.fromMs, w.toMs);
    if (r.end - r.start < 24 * 7) continue;
    const y = Float64Array.from(data.y);
    for (let i = r.start; i < r.end; i++) y[i] = (y[i] as number) * (1 - opts.share);
    const saved = reportBaselineSavings(model, { ...data, y }, r, options);
    const nothing = reportBaselineSavings(model, data, r, options);
    for (const f of [...saved.nonRoutine, ...nothing.nonRoutine]) findings.push(`${w.label}: ${f.message}`);
    if (saved.savings) withFigure++;
    if (!saved.savings || !nothing.savings) continue;
    const f = saved.savings.savingsShare;
    const f0 = nothing.savings.savingsShare;
    const g = saved.savings.g14.intervals.find((i) => i.confidence === 0.9);
    const g0 = nothing.savings.g14.intervals.find((i) => i.confidence === 0.9);
    if (g && g0) {
      cases.push({
        id,
        window: w.label,
        method: 'baseline-g14',
        estimate: f,
        low: f - g.halfWidthShare,
        high: f + g.halfWidthShare,
        holdsTruth: Math.abs(f - opts.share) <= g.halfWidthShare,
        holdsZero: Math.abs(f0) <= g0.halfWidthShare,
        halfWidth: g.halfWidthShare,
      });
    }
    const e = saved.savings.empirical.find((i) => i.confidence === 0.9);
    const e0 = nothing.savings.empirical.find((i) => i.confidence === 0.9);
    if (e && e0) {
      cases.push({
        id,
        window: w.label,
        method: 'baseline-empirical',
        estimate: f,
        low: e.lowShare,
        high: e.highShare,
        holdsTruth: e.lowShare <= opts.share && opts.share <= e.highShare,
        holdsZero: e0.lowShare <= 0 && 0 <= e0.highShare,
        halfWidth: e.halfWidthShare,
      });
    }
  }
  const flagged = findings.length > 0;
  return {
    id,
    flagged,
    findings,
    noFigureWhenFlagged: !flagged || withFigure === 0,
    unusable: model.unusable,
    cases: flagged ? [] : cases,
  };
}

export interface DesignWindow {
  readonly label: string;
  /** Local Monday the design starts on, YYYY-MM-DD. */
  readonly startDate: string;
  readonly weeks: number;
}

/** Randomized method: half the days of each window treated (blocked in pairs of weeks), 90 % interval. */
export function randomizedAccuracy(
  id: string,
  series: HourlySeries,
  opts: { readonly windows: readonly DesignWindow[]; readonly share: number; readonly seed: number },
): AccuracyCase[] {
  const cases: AccuracyCase[] = [];
  opts.windows.forEach((w, wi) => {
    const design = assignDays({
      seed: opts.seed * 1000 + wi,
      startDate: w.startDate,
      weeks: w.weeks,
      treatedShare: 0.5,
      blockWeeks: 2,
      washoutHours: 2,
    });
    const treated = new Set(design.days.filter((d) => d.arm === 'treatment').map((d) => d.date));
    const isTreated = (ts: number) =>
      treated.has(DateTime.fromMillis(ts, { zone: series.timeZone }).toISODate() as string);
    const saved = dailyOutcomes(scaled(series, isTreated, 1 - opts.share), design);
    const nothing = dailyOutcomes(series, design);
    if (saved.length < 14) return;
    const est = estimateRandomized(saved);
    const e = est.intervals.find((i) => i.confidence === 0.9);
    const e0 = estimateRandomized(nothing).intervals.find((i) => i.confidence === 0.9);
    if (!e || !e0) return;
    const estimate = est.savingsShare;
    cases.push({
      id,
      window: w.label,
      method: 'randomized',
      estimate,
      low: e.lowShare,
      high: e.highShare,
      holdsTruth: e.lowShare <= opts.share && opts.share <= e.highShare,
      holdsZero: e0.lowShare <= 0 && 0 <= e0.highShare,
      halfWidth: (e.highShare - e.lowShare) / 2,
    });
  });
  return cases;
}

export interface AccuracySummary {
  readonly method: AccuracyMethod;
  readonly cases: number;
  readonly holdsTruth: number;
  readonly holdsZero: number;
  readonly meanHalfWidth: number;
}

export function summarizeAccuracy(cases: readonly AccuracyCase[]): AccuracySummary[] {
  const methods: AccuracyMethod[] = ['baseline-g14', 'baseline-empirical', 'randomized'];
  return methods.map((method) => {
    const c = cases.filter((x) => x.method === method);
    return {
      method,
      cases: c.length,
      holdsTruth: c.filter((x) => x.holdsTruth).length,
      holdsZero: c.filter((x) => x.holdsZero).length,
      meanHalfWidth: c.length ? c.reduce((s, x) => s + x.halfWidth, 0) / c.length : Number.NaN,
    };
  });
}

/** Calendar quarters of a year, in UTC. */
export function quarters(year: number): TimeWindow[] {
  return [0, 3, 6, 9].map((m, q) => ({
    label: `${year}-Q${q + 1}`,
    fromMs: Date.UTC(year, m, 1),
    toMs: Date.UTC(year, m + 3, 1),
  }));
}

/** Twelve-week windows starting on the first Monday of each quarter of a year. */
export function quarterDesigns(year: number): DesignWindow[] {
  return [1, 4, 7, 10].map((month, q) => {
    let d = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' });
    while (d.weekday !== 1) d = d.plus({ days: 1 });
    return { label: `${year}-Q${q + 1}`, startDate: d.toISODate() as string, weeks: 12 };
  });
}
