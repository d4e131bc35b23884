import type { FitStats } from '../../domain/forecast/metrics.js';
import type { BaselineSavingsReport } from '../../domain/savings/baseline-method.js';
import type { RandomizedEstimate } from '../../domain/savings/randomized-estimate.js';

/**
 * Why a figure the CLI would print is not there. The domain returns NaN, null or an empty list where
 * a figure cannot be had; the commands print these reasons instead of `n/a`, `NaN` or nothing.
 */

/** Why a model's CV(RMSE) / NMBE are undefined; undefined when they are figures. */
export function fitStatsRefusal(stats: FitStats): string | undefined {
  if (stats.n === 0) return 'no hour has both a reading and a prediction';
  if (stats.notAssessable !== undefined) return stats.notAssessable;
  if (!Number.isFinite(stats.cvRmse) || !Number.isFinite(stats.nmbe))
    return `CV(RMSE) and NMBE are undefined on ${stats.n} hours`;
  return undefined;
}

/** Every reason a baseline savings report gives no figure (empty when it gives one). */
export function baselineRefusals(report: BaselineSavingsReport): string[] {
  if (report.savings) return [];
  const reasons = [
    ...report.unusable,
    ...report.nonRoutine.map((f) => `non-routine change (${f.where} period): ${f.message}`),
  ];
  return reasons.length > 0 ? reasons : ['the baseline method gave no figure'];
}

/** Why a randomized estimate has no savings share or no interval; undefined when it has both. */
export function randomizedRefusal(e: RandomizedEstimate): string | undefined {
  const days = `${e.treatedDays} treated and ${e.controlDays} control days over ${e.weeks} week(s)`;
  if (!Number.isFinite(e.savingsShare))
    return `${days} do not determine the treatment effect (the week and weekday effects take every day); more weeks are needed`;
  if (
    !Number.isFinite(e.standardError) ||
    e.intervals.some((i) => !Number.isFinite(i.lowShare + i.highShare))
  )
    return `${days} leave no degrees of freedom for the uncertainty of the treatment effect; more weeks are needed`;
  return undefined;
}
