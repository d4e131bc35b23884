import type { RunMetrics, SpaceMetrics } from './metrics.js';

/** One line of the comparison: a space, or a total. */
export interface ComparisonRow {
  readonly label: string;
  /** False for spaces without HVAC, which owe no comfort band (discomfort not counted). */
  readonly conditioned: boolean;
  readonly fixedKWh: number;
  readonly quietwattKWh: number;
  readonly energySavedPct: number;
  readonly costSavedPct: number;
  readonly fixedPeakKW: number;
  readonly quietwattPeakKW: number;
  readonly fixedDiscomfortKh: number;
  readonly quietwattDiscomfortKh: number;
  readonly fixedUnderLitH: number;
  readonly quietwattUnderLitH: number;
  /** Under-lit occupied hours while a resident had the lights or the service's hold after that ran. */
  readonly fixedManualUnderLitH: number;
  readonly quietwattManualUnderLitH: number;
  readonly fixedChangesPerDeviceDay: number;
  readonly quietwattChangesPerDeviceDay: number;
}

export interface Comparison {
  readonly rows: ComparisonRow[];
  /** All spaces, lighting + HVAC as metered (life-safety equipment included). */
  readonly metered: ComparisonRow;
  /** All spaces, lighting + HVAC of controllable equipment (life-safety equipment left out). */
  readonly controllable: ComparisonRow;
  readonly pass: { energy: boolean; discomfort: boolean; underLit: boolean; all: boolean };
}

interface Sums {
  kWh: number;
  lifeSafetyKWh: number;
  cost: number;
  discomfort: number;
  underLit: number;
  manualUnderLit: number;
  changes: number;
  deviceDays: number;
}

function sums(list: readonly SpaceMetrics[], days: number): Sums {
  const s: Sums = emptySums();
  for (const m of list) {
    s.kWh += m.lightingKWh + m.hvacKWh;
    s.lifeSafetyKWh += m.lifeSafetyKWh;
    s.cost += m.cost;
    s.discomfort += m.discomfortKh;
    s.underLit += m.underLitHours;
    s.manualUnderLit += m.manualUnderLitHours;
    s.changes += m.commandChanges;
    s.deviceDays += m.devices * days;
  }
  return s;
}

const pct = (a: number, b: number) => (a > 0 ? (100 * (a - b)) / a : 0);

function row(
  label: string,
  f: Sums,
  q: Sums,
  fPeak: number,
  qPeak: number,
  lessKWh = 0,
  lessCost = 0,
  conditioned = true,
): ComparisonRow {
  return {
    label,
    conditioned,
    fixedKWh: f.kWh - lessKWh,
    quietwattKWh: q.kWh - lessKWh,
    energySavedPct: pct(f.kWh - lessKWh, q.kWh - lessKWh),
    costSavedPct: pct(f.cost - lessCost, q.cost - lessCost),
    fixedPeakKW: fPeak,
    quietwattPeakKW: qPeak,
    fixedDiscomfortKh: f.discomfort,
    quietwattDiscomfortKh: q.discomfort,
    fixedUnderLitH: f.underLit,
    quietwattUnderLitH: q.underLit,
    fixedManualUnderLitH: f.manualUnderLit,
    quietwattManualUnderLitH: q.manualUnderLit,
    fixedChangesPerDeviceDay: f.deviceDays > 0 ? f.changes / f.deviceDays : 0,
    quietwattChangesPerDeviceDay: q.deviceDays > 0 ? q.changes / q.deviceDays : 0,
  };
}

/**
 * Compares the two arms of one or more periods (summed; peaks are the highest of any period). The
 * pass criteria: at least `minSavingPct` less controllable lighting + HVAC energy, no more occupied
 * discomfort in total and in every space, and no under-lit occupied hour under QuietWatt.
 */
export function compare(
  fixed: readonly RunMetrics[],
  quietwatt: readonly RunMetrics[],
  minSavingPct = 25,
): Comparison {
  const keys = fixed[0]?.spaces.map((s) => s.spaceKey) ?? [];
  const pick = (runs: readonly RunMetrics[], key: string) =>
    runs
      .map((r) => r.spaces.find((s) => s.spaceKey === key))
      .filter((s): s is SpaceMetrics => s !== undefined);
  const rows = keys.map((key) => {
    const f = pick(fixed, key);
    const q = pick(quietwatt, key);
    // Each period's days apply to its own space metrics: sum device-days period by period.
    const fs = f.reduce((acc, m, i) => addSums(acc, sums([m], fixed[i]?.days ?? 0)), emptySums());
    const qs = q.reduce((acc, m, i) => addSums(acc, sums([m], quietwatt[i]?.days ?? 0)), emptySums());
    return row(
      key.split('/').pop() ?? key,
      fs,
      qs,
      Math.max(0, ...f.map((m) => m.peakKW)),
      Math.max(0, ...q.map((m) => m.peakKW)),
      0,
      0,
      f[0]?.conditioned ?? true,
    );
  });
  const all = (runs: readonly RunMetrics[]) =>
    runs.reduce((acc, r) => addSums(acc, sums(r.spaces, r.days)), emptySums());
  const f = all(fixed);
  const q = all(quietwatt);
  const fPeak = Math.max(0, ...fixed.map((r) => r.communityPeakKW));
  const qPeak = Math.max(0, ...quietwatt.map((r) => r.communityPeakKW));
  const metered = row('total (as metered)', f, q, fPeak, qPeak);
  // Life-safety equipment draws the same in both arms; its cost share is taken at the mean price.
  const lifeSafetyCost = f.kWh > 0 ? (f.lifeSafetyKWh * f.cost) / f.kWh : 0;
  const controllable = row('total, controllable', f, q, fPeak, qPeak, f.lifeSafetyKWh, lifeSafetyCost);
  const energy = controllable.energySavedPct >= minSavingPct;
  const discomfort =
    q.discomfort <= f.discomfort + 1e-6 &&
    rows.every((r) => r.quietwattDiscomfortKh <= r.fixedDiscomfortKh + 1e-6);
  const underLit = q.underLit === 0;
  return {
    rows,
    metered,
    controllable,
    pass: { energy, discomfort, underLit, all: energy && discomfort && underLit },
  };
}

function emptySums(): Sums {
  return {
    kWh: 0,
    lifeSafetyKWh: 0,
    cost: 0,
    discomfort: 0,
    underLit: 0,
    manualUnderLit: 0,
    changes: 0,
    deviceDays: 0,
  };
}

function addSums(a: Sums, b: Sums): Sums {
  return {
    kWh: a.kWh + b.kWh,
    lifeSafetyKWh: a.lifeSafetyKWh + b.lifeSafetyKWh,
    cost: a.cost + b.cost,
    discomfort: a.discomfort + b.discomfort,
    underLit: a.underLit + b.underLit,
    manualUnderLit: a.manualUnderLit + b.manualUnderLit,
    changes: a.changes + b.changes,
    deviceDays: a.deviceDays + b.deviceDays,
  };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** The comparison as a Markdown table. */
export function formatTable(c: Comparison): string {
  const head =
    '| space | fixed kWh | QuietWatt kWh | energy saved | cost saved | peak kW (fixed → QW) | discomfort K·h (fixed → QW) | under-lit occupied h (fixed → QW) | setpoint changes /device/day (fixed → QW) |';
  const sep = '|---|--:|--:|--:|--:|--:|--:|--:|--:|';
  const line = (r: ComparisonRow) =>
    `| ${r.label} | ${f1(r.fixedKWh)} | ${f1(r.quietwattKWh)} | ${f1(r.energySavedPct)} % | ${f1(r.costSavedPct)} % | ${f2(r.fixedPeakKW)} → ${f2(r.quietwattPeakKW)} | ${r.conditioned ? `${f2(r.fixedDiscomfortKh)} → ${f2(r.quietwattDiscomfortKh)}` : '—'} | ${f2(r.fixedUnderLitH)} → ${f2(r.quietwattUnderLitH)} | ${f1(r.fixedChangesPerDeviceDay)} → ${f1(r.quietwattChangesPerDeviceDay)} |`;
  return [head, sep, ...c.rows.map(line), line(c.metered), line(c.controllable)].join('\n');
}
