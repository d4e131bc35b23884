/**
 * Forecast benchmark on the shared real meter data (../shared/data, or QW_DATA).
 *
 *   npm run bench:forecast            all buildings, both settings, fits per second
 *
 * Prints markdown tables (CV(RMSE) and NMBE per model and for the chosen one) for:
 *   baseline  - fit on year 1, predict year 2 from time and temperature alone (Cambridge with Bedford
 *               weather; BDG2 with a time-only model);
 *   day-ahead - each day forecast from data before it, refit weekly, corrected daily (every series);
 * then the pass checks of the forecasting issue and the fitting throughput.
 * A progress bar goes to stderr; results to stdout.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import {
  loadBdg2,
  loadCambridge,
  loadNrel,
  loadPolito,
  type NamedSeries,
} from '../src/adapters/csv/shared-data.js';
import { baselineBacktest, dayAheadBacktest } from '../src/domain/forecast/backtest.js';
import { levelShiftCheck } from '../src/domain/forecast/level-shift.js';
import type { FitStats } from '../src/domain/forecast/metrics.js';
import { type Forecaster, seasonalNaive, towtForecaster } from '../src/domain/forecast/models.js';
import { localMonthKeys, prepareSeries, secondYearStart } from '../src/domain/forecast/prepared.js';
import { assessSufficiency, BASELINE_RULES } from '../src/domain/forecast/sufficiency.js';
import { fitTowt } from '../src/domain/forecast/towt.js';
import {
  chooseByRollingOrigin,
  dayAheadCandidates,
  trainModelFile,
} from '../src/domain/forecast/training.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataRoot = resolve(process.env.QW_DATA ?? join(here, '..', '..', 'shared', 'data'));
if (!existsSync(dataRoot)) {
  console.error(`shared data not found at ${dataRoot} (set QW_DATA)`);
  process.exit(1);
}
const t0 = performance.now();

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}` : 'n/a');
const cell = (s: FitStats): string => `${pct(s.cvRmse)} / ${pct(s.nmbe)}`;

const series: NamedSeries[] = [
  ...loadCambridge(join(dataRoot, 'cambridge-estates')),
  ...loadBdg2(join(dataRoot, 'bdg2-subset')),
  ...loadPolito(join(dataRoot, 'polito-campus')),
  ...loadNrel(join(dataRoot, 'nrel-rsf-2011')),
];
const loadS = (performance.now() - t0) / 1000;

// The same settings for every building: no per-building tuning.
const baselineModels = (): Forecaster[] => [
  seasonalNaive(52 * 168),
  towtForecaster(),
  towtForecaster({ segmentation: 'month-weighted', name: 'towt-month' }),
];
const dayAheadModels = dayAheadCandidates;

const baselineSet = series.filter((s) => s.source === 'cambridge' || s.source === 'bdg2');
const bar = new cliProgress.SingleBar(
  { stream: process.stderr, format: 'bench:forecast [{bar}] {value}/{total} {task}', hideCursor: true },
  cliProgress.Presets.shades_classic,
);
bar.start(baselineSet.length + series.length, 0, { task: '' });

interface BaselineRow {
  id: string;
  /** Empty when the training year passes the baseline sufficiency rules, else the failed rules. */
  sufficiency: string;
  source: string;
  cells: string[];
  chosen: string;
  chosenStats: FitStats;
  heldOut: FitStats;
  flagged: boolean;
  worstRun: string;
}
const baselineRows: BaselineRow[] = [];
let totalFits = 0;
for (const s of baselineSet) {
  bar.update({ task: `baseline ${s.id}` });
  const data = prepareSeries(s.series);
  const split = secondYearStart(data);
  const r = baselineBacktest(data, { start: 0, end: split }, { start: split, end: data.n }, baselineModels());
  totalFits += r.fits;
  const chosen = r.models.find((m) => m.name === r.chosen);
  if (!chosen) throw new Error('no chosen model');
  const shift = levelShiftCheck(
    data.y.subarray(split),
    chosen.prediction,
    localMonthKeys(data, split, data.n),
  );
  const suff = assessSufficiency(data, { start: 0, end: split }, BASELINE_RULES);
  baselineRows.push({
    id: s.id,
    sufficiency: suff.sufficient
      ? ''
      : suff.issues
          .filter((i) => i.level === 'error')
          .map((i) => i.code)
          .join(', '),
    source: s.source,
    cells: r.models.map((m) => cell(m.predicted)),
    chosen: r.chosen,
    chosenStats: chosen.predicted,
    heldOut: chosen.heldOutMonths,
    flagged: shift.flagged,
    worstRun: shift.monthlyBias.map((b) => (Number.isFinite(b) ? Math.round(b * 100) : '-')).join(' '),
  });
  bar.increment();
}

interface DayAheadRow {
  id: string;
  source: string;
  cells: string[];
  chosen: FitStats;
  naive: FitStats;
  towt: FitStats;
  choice: string;
}
const dayAheadRows: DayAheadRow[] = [];
for (const s of series) {
  bar.update({ task: `day-ahead ${s.id}` });
  const data = prepareSeries(s.series);
  const split = secondYearStart(data);
  // Two-year series: score year 2; shorter ones: score after four weeks of warm-up.
  const scoreFrom = split < data.n && split >= 300 * 24 ? split : 28 * 24;
  const r = dayAheadBacktest(data, dayAheadModels(), { scoreFrom });
  totalFits += r.fits;
  const by = (name: string): FitStats => {
    const m = r.models.find((x) => x.name === name);
    if (!m) throw new Error(`missing ${name}`);
    return m.stats;
  };
  const days = Object.values(r.choiceDays).reduce((a, b) => a + b, 0);
  dayAheadRows.push({
    id: s.id,
    source: s.source,
    cells: r.models.map((m) => cell(m.stats)),
    chosen: r.chosen,
    naive: by('seasonal-naive'),
    towt: by('towt'),
    choice: Object.entries(r.choiceDays)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${Math.round((100 * v) / Math.max(1, days))}%`)
      .join(', '),
  });
  bar.increment();
}
bar.stop();

// Throughput: fit a year of hourly data with temperature, one core, repeated for ~3 s.
const cam = series.find((s) => s.source === 'cambridge');
let fitsPerSecond = Number.NaN;
let fitsPerSecondMonth = Number.NaN;
let trainingsPerSecond = Number.NaN;
if (cam) {
  const data = prepareSeries(cam.series);
  const year = { start: 0, end: Math.min(data.n, 8760) };
  const rate = (seg: 'none' | 'month-weighted'): number => {
    for (let i = 0; i < 5; i++) fitTowt(data, year, { segmentation: seg });
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < 3000) {
      fitTowt(data, year, { segmentation: seg });
      n++;
    }
    return n / ((performance.now() - start) / 1000);
  };
  fitsPerSecond = rate('none');
  fitsPerSecondMonth = rate('month-weighted');
  // What a nightly retrain does per space and end use: choose by rolling origin over four weeks,
  // fit the chosen model on the year, and compute held-out-month statistics for the model file.
  const startT = performance.now();
  let trainings = 0;
  while (performance.now() - startT < 3000) {
    const choice = chooseByRollingOrigin(data, dayAheadCandidates(), year.end);
    const forecaster = dayAheadCandidates().find((c) => c.name === choice.name) ?? towtForecaster();
    trainModelFile(data, forecaster, year, { spaceId: cam.id, endUse: 'total', fittedAtMs: 0 });
    trainings++;
  }
  trainingsPerSecond = trainings / ((performance.now() - startT) / 1000);
}

const out: string[] = [];
out.push('## Baseline setting: fit on year 1, predict year 2 (time and temperature only)', '');
out.push('CV(RMSE) % / NMBE % on the predicted year; G14 hourly: CV(RMSE) <= 30 %, |NMBE| <= 10 %.', '');
out.push(
  '| building | seasonal-naive-52w | towt | towt-month | chosen | chosen held-out months (year 1) | G14 | non-routine |',
);
out.push('|---|---|---|---|---|---|---|---|');
for (const r of baselineRows) {
  out.push(
    `| ${r.id} | ${r.cells.join(' | ')} | ${r.chosen}: ${cell(r.chosenStats)} | ${cell(r.heldOut)} | ${
      r.chosenStats.meetsG14 ? 'meets' : 'fails'
    }${r.sufficiency ? ` (year 1 insufficient: ${r.sufficiency})` : ''} | ${r.flagged ? 'FLAGGED' : ''} |`,
  );
}
out.push(
  '',
  'Monthly bias of the chosen baseline over the predicted year (%), used by the level-shift flag:',
  '',
);
for (const r of baselineRows.filter((x) => x.source === 'cambridge')) out.push(`- ${r.id}: ${r.worstRun}`);
out.push('', '## Day-ahead setting: each day from data before it (refit weekly, correct daily)', '');
out.push('CV(RMSE) % / NMBE %. Observed temperature stands in for the weather forecast.', '');
out.push('| series | seasonal-naive | towt | towt-corrected | chosen | chosen model (share of days) |');
out.push('|---|---|---|---|---|---|');
for (const r of dayAheadRows)
  out.push(`| ${r.id} | ${r.cells.join(' | ')} | ${cell(r.chosen)} | ${r.choice} |`);

const camDa = dayAheadRows.filter((r) => r.source === 'cambridge');
const daBeats = camDa.filter((r) => r.chosen.cvRmse < r.naive.cvRmse && r.chosen.cvRmse < r.towt.cvRmse);
const camBl = baselineRows.filter((r) => r.source === 'cambridge' && !r.flagged);
const blFails = camBl.filter((r) => !r.chosenStats.meetsG14);
const elapsedS = (performance.now() - t0) / 1000;
out.push('', '## Checks', '');
out.push(
  `- day-ahead, chosen beats seasonal naive and TOWT on ${daBeats.length}/${camDa.length} Cambridge buildings: ${
    daBeats.length === camDa.length ? 'PASS' : 'FAIL'
  }`,
);
out.push(
  `- baseline, chosen meets G14 on ${camBl.length - blFails.length}/${camBl.length} Cambridge buildings not flagged` +
    ` (flagged: ${baselineRows
      .filter((r) => r.source === 'cambridge' && r.flagged)
      .map((r) => r.id)
      .join(
        ', ',
      )}; failing: ${blFails.map((r) => r.id).join(', ') || 'none'}): ${blFails.length <= 1 ? 'PASS' : 'FAIL'}`,
);
out.push(
  `- fitting a year of hourly data (TOWT, 168 + temperature terms): ${fitsPerSecond.toFixed(0)} fits/s ` +
    `(month-weighted: ${fitsPerSecondMonth.toFixed(0)} fits/s); 4000 fits in 30 min needs >= 2.3 fits/s: ${
      fitsPerSecond >= 2.3 ? 'PASS' : 'FAIL'
    }`,
);
out.push(
  `- full nightly training of one space and end use (rolling-origin choice over 4 weeks + fit + 12 held-out-month ` +
    `fits): ${trainingsPerSecond.toFixed(1)} per second, so 4000 take ${(4000 / trainingsPerSecond / 60).toFixed(1)} min on one core`,
);
out.push(
  `- ${totalFits} model fits in backtests; data load ${loadS.toFixed(1)} s; whole bench ${elapsedS.toFixed(1)} s`,
);
console.log(out.join('\n'));
