import type { PreparedSeries } from '../forecast/prepared.js';
import type { HourlySeries, IndexRange } from '../forecast/types.js';
import { type BaselineModel, type BaselineOptions, fitBaseline, prepareForMv } from './baseline-fit.js';
import { type BaselineSavingsReport, reportBaselineSavings } from './baseline-method.js';

/** Index range of the hours in [fromMs, toMs) of a series. */
export function rangeOf(tsMs: ArrayLike<number>, fromMs: number, toMs: number): IndexRange {
  let start = 0;
  while (start < tsMs.length && (tsMs[start] as number) < fromMs) start++;
  let end = start;
  while (end < tsMs.length && (tsMs[end] as number) < toMs) end++;
  return { start, end };
}

export interface BaselineAnalysis {
  readonly data: PreparedSeries;
  readonly baseline: IndexRange;
  readonly reporting: IndexRange;
  readonly model: BaselineModel;
  readonly report: BaselineSavingsReport;
}

/**
 * The whole baseline method on one series: fit on [baselineStartMs, baselineEndMs), report over
 * [baselineEndMs, reportingEndMs). Defaults: everything before the baseline end, everything after.
 */
export function analyzeBaselineSavings(
  series: HourlySeries,
  window: {
    readonly baselineEndMs: number;
    readonly baselineStartMs?: number;
    readonly reportingEndMs?: number;
  },
  options: BaselineOptions = {},
): BaselineAnalysis {
  // One model for the whole baseline: month-by-month segments would follow a drifting building
  // and hide exactly the changes the non-routine check looks for.
  const opts: BaselineOptions = { ...options, towt: { segmentation: 'none', ...options.towt } };
  const data = prepareForMv(series, opts);
  const first = data.tsMs[0] ?? 0;
  const baseline = rangeOf(data.tsMs, window.baselineStartMs ?? first, window.baselineEndMs);
  const reporting = rangeOf(
    data.tsMs,
    window.baselineEndMs,
    window.reportingEndMs ?? Number.POSITIVE_INFINITY,
  );
  if (baseline.end - baseline.start < 24 * 7 * 8) {
    throw new RangeError(
      `the baseline period has ${baseline.end - baseline.start} hours; at least 8 weeks are needed`,
    );
  }
  if (reporting.end - reporting.start < 24 * 7) {
    throw new RangeError(
      `the reporting period has ${reporting.end - reporting.start} hours; at least a week is needed`,
    );
  }
  const model = fitBaseline(data, baseline, opts);
  const report = reportBaselineSavings(model, data, reporting, opts);
  return { data, baseline, reporting, model, report };
}
