/**
 * How often each savings method's 90 % interval holds the truth on real meter data, and how wide it
 * is. For every shared series: 12 % of the load is removed in each reporting window (randomized
 * method: on the treated days only); an interval "holds" when it contains 12 %, and, on the
 * untouched data, 0 %. Run: npm run bench:savings-accuracy
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
import {
  type AccuracyCase,
  type AccuracySummary,
  baselineAccuracy,
  type DesignWindow,
  quarters,
  randomizedAccuracy,
  summarizeAccuracy,
} from '../src/domain/savings/accuracy.js';

const DATA = join(import.meta.dirname, '../../shared/data');
const SHARE = 0.12;
const started = performance.now();

function load(): NamedSeries[] {
  const out: NamedSeries[] = [];
  const at = (d: string) => join(DATA, d);
  if (existsSync(at('cambridge-estates'))) out.push(...loadCambridge(at('cambridge-estates')));
  if (existsSync(at('bdg2-subset'))) out.push(...loadBdg2(at('bdg2-subset')));
  if (existsSync(at('polito-campus'))) out.push(...loadPolito(at('polito-campus')));
  if (existsSync(at('nrel-rsf-2011'))) out.push(...loadNrel(at('nrel-rsf-2011')));
  return out;
}

/** Consecutive 12-week designs over the last year of a series (or all of it when shorter). */
function designWindows(s: NamedSeries): DesignWindow[] {
  const ts = s.series.tsMs;
  const last = ts[ts.length - 1] ?? 0;
  const first = Math.max(ts[0] ?? 0, last - 364 * 86_400_000);
  let d = DateTime.fromMillis(first, { zone: s.series.timeZone }).startOf('day').plus({ days: 1 });
  while (d.weekday !== 1) d = d.plus({ days: 1 });
  const out: DesignWindow[] = [];
  for (let q = 1; d.plus({ weeks: 12 }).toMillis() <= last; q++, d = d.plus({ weeks: 12 })) {
    out.push({ label: `w${q}`, startDate: d.toISODate() as string, weeks: 12 });
  }
  return out;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const rate = (s: AccuracySummary | undefined, k: 'holdsTruth' | 'holdsZero') =>
  s && s.cases > 0 ? `${s[k]}/${s.cases}` : '-';

const series = load();
const rows: string[][] = [];
const all: AccuracyCase[] = [];
const flagged: string[] = [];
const bySource = new Map<string, AccuracyCase[]>();
for (const [i, s] of series.entries()) {
  const years = new Set(s.series.tsMs.map((t) => new Date(t).getUTCFullYear()));
  const y = [...years].sort();
  const cases: AccuracyCase[] = [];
  let note = '';
  // The baseline method needs a full year before the reporting year (every season seen once).
  const first = y[0];
  const second = y[1];
  if (first !== undefined && second !== undefined && y.length >= 2) {
    const b = baselineAccuracy(s.id, s.series, {
      baselineStartMs: Date.UTC(first, 0, 1),
      baselineEndMs: Date.UTC(second, 0, 1),
      windows: quarters(second),
      share: SHARE,
    });
    if (b.unusable.length > 0) note = `baseline: n/a (${b.unusable[0]})`;
    else if (b.flagged) {
      flagged.push(`${s.id}: ${b.findings[0] ?? ''}`);
      note = 'FLAGGED non-routine';
    }
    cases.push(...b.cases);
  } else note = 'baseline: n/a (under two years)';
  cases.push(...randomizedAccuracy(s.id, s.series, { windows: designWindows(s), share: SHARE, seed: i + 1 }));
  all.push(...cases);
  bySource.set(s.source, [...(bySource.get(s.source) ?? []), ...cases]);
  const sum = summarizeAccuracy(cases);
  const [g, e, r] = [sum[0], sum[1], sum[2]];
  rows.push([
    s.id,
    s.source,
    rate(e, 'holdsTruth'),
    rate(e, 'holdsZero'),
    pct(e?.meanHalfWidth ?? Number.NaN),
    rate(g, 'holdsTruth'),
    pct(g?.meanHalfWidth ?? Number.NaN),
    rate(r, 'holdsTruth'),
    rate(r, 'holdsZero'),
    pct(r?.meanHalfWidth ?? Number.NaN),
    note,
  ]);
}

const header = [
  'series',
  'source',
  'emp 12%',
  'emp 0%',
  'emp ±',
  'G14 12%',
  'G14 ±',
  'rand 12%',
  'rand 0%',
  'rand ±',
  '',
];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
const line = (r: string[]) => r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ');
console.log(
  `Savings accuracy: ${SHARE * 100} % of the load removed per window, 90 % intervals (held = interval contains the truth)`,
);
console.log(
  'baseline method: fit on the first calendar year, reporting windows = quarters of the next; randomized: 12-week designs, half the days treated\n',
);
console.log(line(header));
for (const r of rows) console.log(line(r));

console.log('\nTotals (baseline method: series not flagged)');
const totals = (label: string, cases: readonly AccuracyCase[]) => {
  for (const s of summarizeAccuracy(cases)) {
    if (s.cases === 0) continue;
    console.log(
      `  ${label.padEnd(10)} ${s.method.padEnd(19)} holds 12 %: ${String(s.holdsTruth).padStart(3)}/${s.cases} (${pct(s.holdsTruth / s.cases)})  holds 0 %: ${pct(s.holdsZero / s.cases)}  mean half-width ${pct(s.meanHalfWidth)}`,
    );
  }
};
for (const [source, cases] of bySource) totals(source, cases);
totals('all', all);
console.log(`\nFlagged non-routine (${flagged.length}):`);
for (const f of flagged) console.log(`  ${f}`);
console.log(`\n${series.length} series in ${((performance.now() - started) / 1000).toFixed(1)} s`);
