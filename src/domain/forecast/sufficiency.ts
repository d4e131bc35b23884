/**
 * Data sufficiency rules (after CalTRACK): before a model is fitted, the training window must show
 * enough data, or the model says why it will not forecast.
 *
 * Rules (codes), each checked on [range.start, range.end):
 * - TOO_SHORT        fewer days than `minDays` spanned by the window (error)
 * - LOW_COVERAGE     overall share of hours with a reading below `minCoverage` (error)
 * - MONTH_COVERAGE   a calendar month inside the window with coverage below `minMonthlyCoverage`
 *                    (CalTRACK hourly: 90 % per month; error for baselines, warning otherwise)
 * - TEMPERATURE_COVERAGE  hours with a reading but no temperature above 10 % (warning: the model
 *                    falls back to time-of-week only below 50 %)
 * - LONG_GAP         a run of missing hours longer than `maxGapHours` (warning)
 * - ZERO_RUN         a run of exact zeros of at least `zeroRunHours` (warning: likely a gap recorded
 *                    as 0 - read the file with "zero means missing")
 * - OUTLIERS         readings outside [Q1 - k IQR, Q3 + k IQR] or negative, more than 0.5 % of hours
 *                    (warning)
 * `sufficient` is false when any error-level issue is present.
 */
import { quantileSorted } from 'simple-statistics';
import { localMonthKeys, type PreparedSeries } from './prepared.js';
import type { IndexRange } from './types.js';

export type SufficiencyCode =
  | 'TOO_SHORT'
  | 'LOW_COVERAGE'
  | 'MONTH_COVERAGE'
  | 'TEMPERATURE_COVERAGE'
  | 'LONG_GAP'
  | 'ZERO_RUN'
  | 'OUTLIERS';

export interface SufficiencyIssue {
  readonly code: SufficiencyCode;
  readonly level: 'error' | 'warning';
  readonly message: string;
}

export interface SufficiencyRules {
  readonly minDays: number;
  readonly minCoverage: number;
  readonly minMonthlyCoverage: number;
  /** Month coverage shortfall is an error (baselines) or a warning (forecasting). */
  readonly monthCoverageIsError: boolean;
  readonly maxGapHours: number;
  readonly zeroRunHours: number;
  readonly outlierIqrK: number;
}

/** CalTRACK-style rules for an M&V baseline: a year, 90 % of hours in every month. */
export const BASELINE_RULES: SufficiencyRules = {
  minDays: 365,
  minCoverage: 0.9,
  minMonthlyCoverage: 0.9,
  monthCoverageIsError: true,
  maxGapHours: 14 * 24,
  zeroRunHours: 24,
  outlierIqrK: 3,
};

/** Rules for day-ahead forecasting: two weeks (every hour of the week seen twice), half covered. */
export const FORECAST_RULES: SufficiencyRules = {
  minDays: 14,
  minCoverage: 0.5,
  minMonthlyCoverage: 0.5,
  monthCoverageIsError: false,
  maxGapHours: 7 * 24,
  zeroRunHours: 24,
  outlierIqrK: 3,
};

export interface MonthCoverage {
  /** 'YYYY-MM' in the building's local calendar. */
  readonly month: string;
  readonly hours: number;
  readonly withData: number;
  readonly coverage: number;
}

export interface SufficiencyReport {
  readonly sufficient: boolean;
  readonly issues: SufficiencyIssue[];
  readonly days: number;
  readonly coverage: number;
  readonly months: MonthCoverage[];
  readonly longestGapHours: number;
  readonly longestZeroRunHours: number;
  readonly outliers: number;
}

export function assessSufficiency(
  data: PreparedSeries,
  range: IndexRange,
  rules: SufficiencyRules = FORECAST_RULES,
): SufficiencyReport {
  const start = Math.max(0, range.start);
  const end = Math.min(data.n, range.end);
  const hours = Math.max(0, end - start);
  const issues: SufficiencyIssue[] = [];
  const days = hours / 24;
  let withData = 0;
  let withTemp = 0;
  let gap = 0;
  let longestGap = 0;
  let zeros = 0;
  let longestZeros = 0;
  const values: number[] = [];
  const keys = localMonthKeys(data, start, end);
  const monthMap = new Map<number, { hours: number; withData: number }>();
  for (let i = start; i < end; i++) {
    const v = data.y[i] ?? Number.NaN;
    const k = keys[i - start] ?? 0;
    const m = monthMap.get(k) ?? { hours: 0, withData: 0 };
    m.hours++;
    if (Number.isNaN(v)) {
      gap++;
      longestGap = Math.max(longestGap, gap);
      zeros = 0;
    } else {
      gap = 0;
      withData++;
      m.withData++;
      values.push(v);
      if (!Number.isNaN(data.tempC[i] ?? Number.NaN)) withTemp++;
      zeros = v === 0 ? zeros + 1 : 0;
      longestZeros = Math.max(longestZeros, zeros);
    }
    monthMap.set(k, m);
  }
  const coverage = hours > 0 ? withData / hours : 0;
  if (days < rules.minDays) {
    issues.push({
      code: 'TOO_SHORT',
      level: 'error',
      message: `window spans ${days.toFixed(1)} days; at least ${rules.minDays} needed`,
    });
  }
  if (coverage < rules.minCoverage) {
    issues.push({
      code: 'LOW_COVERAGE',
      level: 'error',
      message: `${(coverage * 100).toFixed(1)} % of hours have a reading; at least ${(rules.minCoverage * 100).toFixed(0)} % needed`,
    });
  }
  const months: MonthCoverage[] = [...monthMap.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, m]) => ({
      month: `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`,
      hours: m.hours,
      withData: m.withData,
      coverage: m.hours > 0 ? m.withData / m.hours : 0,
    }));
  const lowMonths = months.filter((m) => m.coverage < rules.minMonthlyCoverage);
  if (lowMonths.length > 0) {
    issues.push({
      code: 'MONTH_COVERAGE',
      level: rules.monthCoverageIsError ? 'error' : 'warning',
      message: `months below ${(rules.minMonthlyCoverage * 100).toFixed(0)} % coverage: ${lowMonths
        .map((m) => `${m.month} (${(m.coverage * 100).toFixed(0)} %)`)
        .join(', ')}`,
    });
  }
  if (data.hasTemperature && withData > 0 && withTemp < 0.9 * withData) {
    issues.push({
      code: 'TEMPERATURE_COVERAGE',
      level: 'warning',
      message: `${(100 - (100 * withTemp) / withData).toFixed(1)} % of hours with a reading lack temperature`,
    });
  }
  if (longestGap > rules.maxGapHours) {
    issues.push({
      code: 'LONG_GAP',
      level: 'warning',
      message: `longest run of missing hours is ${longestGap} h (more than ${rules.maxGapHours} h)`,
    });
  }
  if (longestZeros >= rules.zeroRunHours) {
    issues.push({
      code: 'ZERO_RUN',
      level: 'warning',
      message: `${longestZeros} consecutive zero readings: probably a gap recorded as 0 (read with "zero means missing")`,
    });
  }
  const sorted = Array.from(values).sort((a, b) => a - b);
  const q1 = sorted.length > 0 ? quantileSorted(sorted, 0.25) : Number.NaN;
  const q3 = sorted.length > 0 ? quantileSorted(sorted, 0.75) : Number.NaN;
  const iqr = q3 - q1;
  let outliers = 0;
  for (const v of values) {
    if (v < 0 || v < q1 - rules.outlierIqrK * iqr || v > q3 + rules.outlierIqrK * iqr) outliers++;
  }
  if (values.length > 0 && outliers > 0.005 * values.length) {
    issues.push({
      code: 'OUTLIERS',
      level: 'warning',
      message: `${outliers} readings are negative or beyond ${rules.outlierIqrK} IQR of the quartiles`,
    });
  }
  return {
    sufficient: !issues.some((i) => i.level === 'error'),
    issues,
    days,
    coverage,
    months,
    longestGapHours: longestGap,
    longestZeroRunHours: longestZeros,
    outliers,
  };
}
