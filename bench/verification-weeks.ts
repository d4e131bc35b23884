/**
 * How many weeks the default randomized verification needs before a figure stops being provisional,
 * per share of days left on the building's own schedule. For every shared series (real meter data)
 * and several start dates in its last year, a design of the service's automatic kind is laid over
 * the data, 20 % of the load is removed on the treated days, and the estimate is recomputed at the
 * end of each week, as the ledger does; the figure is provisional while the half-width of its 90 %
 * interval exceeds `savings.provisionalHalfWidthPct` (10 % of the baseline by default).
 * Run: npm run bench:verification
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import {
  loadBdg2,
  loadCambridge,
  loadNrel,
  loadPolito,
  type NamedSeries,
} from '../src/adapters/csv/shared-data.js';
import type { HourlySeries } from '../src/domain/forecast/types.js';
import { assignDays, type RandomizedDesign } from '../src/domain/savings/randomized-design.js';
import { dailyOutcomes, estimateRandomized } from '../src/domain/savings/randomized-estimate.js';

const DATA = join(import.meta.dirname, '../../shared/data');
const SAVINGS = 0.2;
const HALF_WIDTH_PCT = Number(process.env.HALF_WIDTH_PCT ?? 10);
const MAX_WEEKS = 26;
const MIN_DAYS_PER_ARM = 7;
/** Control share and the block length that realises it exactly (the service's defaults for 0.25). */
const SHARES = [
  { controlShare: 0.1, blockWeeks: 10 },
  { controlShare: 0.25, blockWeeks: 4 },
  { controlShare: 0.5, blockWeeks: 2 },
];

function load(): NamedSeries[] {
  const out: NamedSeries[] = [];
  const at = (d: string) => join(DATA, d);
  if (existsSync(at('cambridge-estates'))) out.push(...loadCambridge(at('cambridge-estates')));
  if (existsSync(at('bdg2-subset'))) out.push(...loadBdg2(at('bdg2-subset')));
  if (existsSync(at('polito-campus'))) out.push(...loadPolito(at('polito-campus')));
  if (existsSync(at('nrel-rsf-2011'))) out.push(...loadNrel(at('nrel-rsf-2011')));
  return out;
}

/** Mondays starting 26-week windows in the last year of a series, 13 weeks apart. */
function starts(s: HourlySeries): string[] {
  const ts = s.tsMs;
  const last = ts[ts.length - 1] ?? 0;
  let d = DateTime.fromMillis(Math.max(ts[0] ?? 0, last - 364 * 86_400_000), { zone: s.timeZone })
    .startOf('day')
    .plus({ days: 1 });
  while (d.weekday !== 1) d = d.plus({ days: 1 });
  const out: string[] = [];
  for (; d.plus({ weeks: MAX_WEEKS }).toMillis() <= last; d = d.plus({ weeks: 13 }))
    out.push(d.toISODate() as string);
  return out;
}

/** The series with SAVINGS removed on the treated days of the design. */
function treated(s: HourlySeries, design: RandomizedDesign): HourlySeries {
  const arms = new Map(design.days.map((d) => [d.date, d.arm]));
  return {
    ...s,
    kWh: s.kWh.map((v, i) => {
      if (v === null) return v;
      const date = DateTime.fromMillis(s.tsMs[i] as number, { zone: s.timeZone }).toISODate() as string;
      return arms.get(date) === 'treatment' ? v * (1 - SAVINGS) : v;
    }),
  };
}

/** First week-end at which the 90 % half-width is within the threshold, or undefined. */
function weeksToFinal(s: HourlySeries, design: RandomizedDesign): { weeks?: number; covered: boolean } {
  const all = dailyOutcomes(treated(s, design), design);
  for (let w = 2; w <= MAX_WEEKS; w++) {
    const days = all.filter((d) => d.week < w);
    const t = days.filter((d) => d.arm === 'treatment').length;
    if (t < MIN_DAYS_PER_ARM || days.length - t < MIN_DAYS_PER_ARM) continue;
    let e: ReturnType<typeof estimateRandomized>;
    try {
      e = estimateRandomized(days);
    } catch {
      continue;
    }
    const ci = e.intervals.find((i) => i.confidence === 0.9);
    if (!ci) continue;
    if ((100 * (ci.highShare - ci.lowShare)) / 2 <= HALF_WIDTH_PCT) {
      return { weeks: w, covered: ci.lowShare <= SAVINGS && SAVINGS <= ci.highShare };
    }
  }
  return { covered: false };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const t0 = performance.now();
const series = load();
console.log(
  `${series.length} series; ${SAVINGS * 100} % savings on treated days; provisional while the 90 % half-width > ${HALF_WIDTH_PCT} % of the baseline; designs of ${MAX_WEEKS} weeks`,
);
console.log(
  'control share | cases | final by week: median | 80th pct | within 26 weeks | 90 % interval holds 20 % | forgone',
);
for (const { controlShare, blockWeeks } of SHARES) {
  const weeks: number[] = [];
  let cases = 0;
  let covered = 0;
  for (const s of series) {
    for (const [k, startDate] of starts(s.series).entries()) {
      const design = assignDays({
        seed: 1 + k,
        startDate,
        weeks: MAX_WEEKS,
        treatedShare: 1 - controlShare,
        blockWeeks,
        washoutHours: 4,
        armBefore: 'treatment',
      });
      cases++;
      const r = weeksToFinal(s.series, design);
      if (r.weeks !== undefined) {
        weeks.push(r.weeks);
        if (r.covered) covered++;
      }
    }
  }
  const sorted = [...weeks].sort((a, b) => a - b);
  // Sites that never get there count as beyond the design for the percentiles.
  const padded = [
    ...sorted,
    ...Array.from({ length: cases - sorted.length }, () => Number.POSITIVE_INFINITY),
  ];
  const fmt = (x: number) => (Number.isFinite(x) ? String(x) : `>${MAX_WEEKS}`);
  console.log(
    `${(controlShare * 100).toFixed(0).padStart(12)} % | ${String(cases).padStart(5)} | ${fmt(quantile(padded, 0.5)).padStart(21)} | ${fmt(quantile(padded, 0.8)).padStart(8)} | ${`${sorted.length}/${cases}`.padStart(15)} | ${`${covered}/${sorted.length}`.padStart(24)} | ${(controlShare * 100).toFixed(0)} % of savings`,
  );
}
console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
