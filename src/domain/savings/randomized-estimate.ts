import { DateTime } from 'luxon';
import { localHours } from '../calendar/local-time.js';
import type { HourlySeries } from '../forecast/types.js';
import { ols } from './ols.js';
import type { Arm, RandomizedDesign } from './randomized-design.js';
import { twoSidedT } from './student-t.js';
import { CONFIDENCE_LEVELS } from './uncertainty.js';

/** One day of the experiment as the estimate sees it. */
export interface DayOutcome {
  readonly date: string;
  readonly week: number;
  /** 1 = Monday .. 7 = Sunday. */
  readonly weekday: number;
  readonly arm: Arm;
  /** Energy over the analysis hours of the day, kWh. */
  readonly energyKWh: number;
  /** Mean outdoor temperature over the day, °C; null when unknown. */
  readonly meanTempC: number | null;
}

/** Base temperatures of the heating and cooling degree terms, °C. */
export const HEATING_BASE_C = 15.5;
export const COOLING_BASE_C = 18;

const DAY_MS = 86_400_000;

function localDayOf(date: string): number {
  return Math.round(DateTime.fromISO(date, { zone: 'UTC' }).toMillis() / DAY_MS);
}

/**
 * Daily outcomes over the analysis hours [washoutHours, 24) of every design day. The same hours are
 * used on every day, switch or not, so days stay comparable; the washout hours after each switch
 * are thereby left out, and so are the same hours of days without a switch. A day with any analysis
 * hour missing is dropped rather than filled.
 */
export function dailyOutcomes(series: HourlySeries, design: RandomizedDesign): DayOutcome[] {
  const local = localHours(series.tsMs, series.timeZone);
  const byDay = new Map<number, { kWh: number; hours: number; missing: number; tSum: number; tN: number }>();
  for (let i = 0; i < series.tsMs.length; i++) {
    const day = local.localDay[i] as number;
    const hour = local.hourOfDay[i] as number;
    let acc = byDay.get(day);
    if (!acc) {
      acc = { kWh: 0, hours: 0, missing: 0, tSum: 0, tN: 0 };
      byDay.set(day, acc);
    }
    const t = series.temperatureC?.[i];
    if (t !== null && t !== undefined && Number.isFinite(t)) {
      acc.tSum += t;
      acc.tN++;
    }
    if (hour < design.washoutHours) continue;
    const v = series.kWh[i];
    if (v === null || v === undefined || !Number.isFinite(v)) acc.missing++;
    else {
      acc.kWh += v;
      acc.hours++;
    }
  }
  const expected = 24 - design.washoutHours;
  const out: DayOutcome[] = [];
  for (const d of design.days) {
    const acc = byDay.get(localDayOf(d.date));
    // DST days have 23 or 25 hours; accept any complete local day.
    if (!acc || acc.missing > 0 || acc.hours < expected - 1) continue;
    out.push({
      date: d.date,
      week: d.week,
      weekday: d.weekday,
      arm: d.arm,
      energyKWh: acc.kWh,
      meanTempC: acc.tN >= 12 ? acc.tSum / acc.tN : null,
    });
  }
  return out;
}

export interface RandomizedInterval {
  readonly confidence: number;
  /** Savings as a share of the treated days' counterfactual use, low..high. */
  readonly lowShare: number;
  readonly highShare: number;
}

export interface RandomizedEstimate {
  readonly treatedDays: number;
  readonly controlDays: number;
  /** Estimated savings share on treated days (1 - treated / counterfactual). */
  readonly savingsShare: number;
  /** Avoided energy over the treated days' analysis hours, kWh. */
  readonly avoidedKWh: number;
  /** Treated days' analysis-hours energy, kWh. */
  readonly treatedKWh: number;
  readonly intervals: readonly RandomizedInterval[];
  /** Degrees of freedom of the t used: min(days - parameters, weeks - 1). */
  readonly dof: number;
  /** Weeks (clusters) with data. */
  readonly weeks: number;
  /** Standard error of the log treatment effect: the larger of the classical and week-clustered. */
  readonly standardError: number;
  readonly usedTemperature: boolean;
}

/** Fewest days with energy use in each arm that the estimate needs. */
export const MIN_USABLE_DAYS_PER_ARM = 2;

/**
 * Days per arm the estimate can use: those with energy use. A day at 0 kWh (a unit that stayed off)
 * has no logarithm, so it cannot enter the log model.
 */
export function usableDaysPerArm(days: readonly DayOutcome[]): { treated: number; control: number } {
  let treated = 0;
  let control = 0;
  for (const d of days) {
    if (!(d.energyKWh > 0)) continue;
    if (d.arm === 'treatment') treated++;
    else control++;
  }
  return { treated, control };
}

/**
 * Compares the arms with the day as the unit: log(daily energy) regressed on week and weekday
 * effects, heating and cooling degrees, and a treatment indicator. Week effects absorb slow drift
 * and season; weekday effects the weekly cycle; the log makes the effect a share of the load. The
 * interval is the t interval of the treatment coefficient with days as the observations (so the
 * correlation of hours within a day never inflates the sample size) and weeks as clusters.
 */
export function estimateRandomized(
  days: readonly DayOutcome[],
  confidences: readonly number[] = CONFIDENCE_LEVELS,
): RandomizedEstimate {
  const usable = days.filter((d) => d.energyKWh > 0);
  const treated = usable.filter((d) => d.arm === 'treatment');
  const control = usable.filter((d) => d.arm === 'control');
  if (treated.length < MIN_USABLE_DAYS_PER_ARM || control.length < MIN_USABLE_DAYS_PER_ARM) {
    throw new RangeError(
      `need at least ${MIN_USABLE_DAYS_PER_ARM} days with energy use in each arm, have ${treated.length} treated and ${control.length} control`,
    );
  }
  const weeks = [...new Set(usable.map((d) => d.week))].sort((a, b) => a - b);
  const weekIndex = new Map(weeks.map((w, i) => [w, i]));
  const withTemp = usable.every((d) => d.meanTempC !== null);
  const hdd = (d: DayOutcome) => Math.max(0, HEATING_BASE_C - (d.meanTempC ?? HEATING_BASE_C));
  const cdd = (d: DayOutcome) => Math.max(0, (d.meanTempC ?? COOLING_BASE_C) - COOLING_BASE_C);
  const useHdd = withTemp && usable.some((d) => hdd(d) > 0);
  const useCdd = withTemp && usable.some((d) => cdd(d) > 0);
  const rows = usable.map((d) => {
    const r: number[] = [1];
    for (let w = 1; w < weeks.length; w++) r.push(weekIndex.get(d.week) === w ? 1 : 0);
    for (let wd = 2; wd <= 7; wd++) r.push(d.weekday === wd ? 1 : 0);
    if (useHdd) r.push(hdd(d));
    if (useCdd) r.push(cdd(d));
    r.push(d.arm === 'treatment' ? 1 : 0);
    return r;
  });
  const y = usable.map((d) => Math.log(d.energyKWh));
  const fit = ols(
    rows,
    y,
    usable.map((d) => d.week),
  );
  const k = (rows[0] as number[]).length - 1;
  const tau = fit.beta[k] as number;
  // Days of one week share shocks (a holiday, a cold snap, an event) that the week effect only
  // half absorbs, so the cluster-robust error by week is computed too; with a dozen clusters it is
  // itself noisy, so the larger of the two is used, with the cluster count setting the t.
  const seClassical = fit.se[k] as number;
  const seCluster = fit.seCluster?.[k] ?? seClassical;
  const se = Math.max(seClassical, seCluster);
  const tDof = Math.max(1, Math.min(fit.dof, (fit.clusters ?? 2) - 1));
  const treatedKWh = treated.reduce((s, d) => s + d.energyKWh, 0);
  const savingsShare = 1 - Math.exp(tau);
  const intervals = confidences.map((confidence) => {
    const t = twoSidedT(confidence, tDof);
    return { confidence, lowShare: 1 - Math.exp(tau + t * se), highShare: 1 - Math.exp(tau - t * se) };
  });
  return {
    treatedDays: treated.length,
    controlDays: control.length,
    savingsShare,
    avoidedKWh: treatedKWh * (Math.exp(-tau) - 1),
    treatedKWh,
    intervals,
    dof: tDof,
    weeks: fit.clusters ?? weeks.length,
    standardError: se,
    usedTemperature: useHdd || useCdd,
  };
}
