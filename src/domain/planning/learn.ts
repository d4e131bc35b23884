import { PRIOR_THERMAL_RATES } from './defaults.js';
import type { ThermalRates } from './types.js';

/** One observation of a space: temperatures and what its HVAC did since the previous sample. */
export interface ThermalSample {
  readonly tsMs: number;
  readonly indoorC: number;
  readonly outdoorC: number;
  /**
   * Output share of the HVAC over the interval that starts at this sample, 0..1: 1 = full
   * capacity. From the HVAC meter (compressor power / rated) or, lacking one, on/off.
   */
  readonly hvacDuty: number;
  readonly mode: 'off' | 'cool' | 'heat';
  /** Solar gain proxy at the sample, 0..1 (`solarProxyAt`); absent: no solar term is fitted from it. */
  readonly solarProxy?: number;
  /** Whether the space was occupied, 0..1; absent: unknown. */
  readonly occupancy?: number;
}

export interface LearnedRates {
  readonly rates: ThermalRates;
  /** Intervals used in the fit. */
  readonly samples: number;
  /** Root-mean-square error of the fitted dT/dt, K/h. */
  readonly rmseKPerH: number;
  /** Which rates came from the data (the rest are the prior's). */
  readonly fitted: {
    readonly a: boolean;
    readonly gain: boolean;
    readonly cool: boolean;
    readonly heat: boolean;
    readonly solar: boolean;
    readonly occupancy: boolean;
  };
}

export interface LearnOptions {
  /** Rates to keep where the data say nothing (no cooling samples, say). */
  readonly prior?: ThermalRates;
  /** Intervals longer than this are gaps and skipped, minutes. */
  readonly maxGapMinutes?: number;
  /** Fewest intervals with the HVAC on (or off) before its rate is trusted. */
  readonly minSamples?: number;
}

/** Solve A x = y by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], y: number[]): number[] | null {
  const n = y.length;
  const m = a.map((row, i) => [...row, y[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
    const pivotRow = m[p];
    if (!pivotRow || Math.abs(pivotRow[c] ?? 0) < 1e-12) return null;
    [m[c], m[p]] = [pivotRow, m[c] as number[]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = m[r] as number[];
      const f = (row[c] ?? 0) / (pivotRow[c] ?? 1);
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pivotRow[k] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

/**
 * Fit the space's first-order RC model, dT/dt = a (Tout - T) + g + gSolar s + gOcc o + bCool uCool +
 * bHeat uHeat (s, o: the samples' solar proxy and occupancy, where every sample has them), by
 * least squares on successive samples (midpoint temperatures, so slow sampling biases little).
 * Rates the history cannot support (too few samples, or a physically wrong sign) keep the prior, and
 * `fitted` says which: the planner then errs on the prior's slow side rather than on a bad fit.
 */
export function learnThermalRates(
  history: readonly ThermalSample[],
  options: LearnOptions = {},
): LearnedRates {
  const prior = options.prior ?? PRIOR_THERMAL_RATES;
  const maxGapMs = (options.maxGapMinutes ?? 30) * 60_000;
  const minSamples = options.minSamples ?? 12;
  const rows: { x: number[]; y: number }[] = [];
  let nCool = 0;
  let nHeat = 0;
  let nOff = 0;
  // The solar and occupancy terms need both sides seen (sun and none, people and none) to be told
  // from the constant gain; without both, their columns stay out of the fit.
  const seen = { sun: 0, dark: 0, people: 0, empty: 0 };
  const allHave = (k: 'solarProxy' | 'occupancy') => history.every((x) => x[k] !== undefined);
  const withSolar = allHave('solarProxy');
  const withOccupancy = allHave('occupancy');
  for (let i = 1; i < history.length; i++) {
    const s0 = history[i - 1];
    const s1 = history[i];
    if (!s0 || !s1) continue;
    const dtMs = s1.tsMs - s0.tsMs;
    if (dtMs <= 0 || dtMs > maxGapMs) continue;
    const vals = [s0.indoorC, s1.indoorC, s0.outdoorC, s1.outdoorC, s0.hvacDuty];
    if (!vals.every(Number.isFinite)) continue;
    const dtH = dtMs / 3_600_000;
    const duty = Math.min(1, Math.max(0, s0.hvacDuty));
    const uCool = s0.mode === 'cool' ? duty : 0;
    const uHeat = s0.mode === 'heat' ? duty : 0;
    if (uCool > 0) nCool++;
    else if (uHeat > 0) nHeat++;
    else nOff++;
    const solar = withSolar ? ((s0.solarProxy ?? 0) + (s1.solarProxy ?? 0)) / 2 : 0;
    const occ = withOccupancy ? Math.min(1, Math.max(0, s0.occupancy ?? 0)) : 0;
    if (solar > 0.3) seen.sun++;
    if (solar < 0.05) seen.dark++;
    if (occ > 0.5) seen.people++;
    else seen.empty++;
    const tMid = (s0.indoorC + s1.indoorC) / 2;
    const outMid = (s0.outdoorC + s1.outdoorC) / 2;
    rows.push({ x: [outMid - tMid, 1, uCool, uHeat, solar, occ], y: (s1.indoorC - s0.indoorC) / dtH });
  }
  // Columns without evidence are dropped and their rate taken from the prior (moved to the left side).
  const use = [
    nOff + nCool + nHeat >= minSamples,
    nOff + nCool + nHeat >= minSamples,
    nCool >= minSamples,
    nHeat >= minSamples,
    withSolar && seen.sun >= minSamples && seen.dark >= minSamples,
    withOccupancy && seen.people >= minSamples && seen.empty >= minSamples,
  ];
  const priorVec = [
    prior.aPerH,
    prior.gainKPerH,
    prior.coolKPerH,
    prior.heatKPerH,
    prior.solarKPerH ?? 0,
    prior.occupancyKPerH ?? 0,
  ];
  const cols = [0, 1, 2, 3, 4, 5].filter((c) => use[c]);
  let est = [...priorVec];
  if (cols.length > 0 && rows.length >= minSamples) {
    const ata = cols.map(() => cols.map(() => 0));
    const aty = cols.map(() => 0);
    for (const { x, y } of rows) {
      let yAdj = y;
      for (let c = 0; c < x.length; c++) if (!use[c]) yAdj -= (priorVec[c] ?? 0) * (x[c] ?? 0);
      cols.forEach((ci, i) => {
        aty[i] = (aty[i] ?? 0) + (x[ci] ?? 0) * yAdj;
        cols.forEach((cj, j) => {
          const row = ata[i] as number[];
          row[j] = (row[j] ?? 0) + (x[ci] ?? 0) * (x[cj] ?? 0);
        });
      });
    }
    const sol = solve(ata, aty);
    if (sol) {
      cols.forEach((c, i) => {
        est[c] = sol[i] ?? (priorVec[c] as number);
      });
    } else est = [...priorVec];
  }
  // A fit with the wrong physics (no coupling, cooling that heats, sun or people that cool) is worse
  // than the prior.
  const ok = [
    (est[0] ?? 0) > 0 && cols.includes(0),
    cols.includes(1),
    (est[2] ?? 0) < 0 && cols.includes(2),
    (est[3] ?? 0) > 0 && cols.includes(3),
    (est[4] ?? 0) >= 0 && cols.includes(4),
    (est[5] ?? 0) >= 0 && cols.includes(5),
  ];
  const final = est.map((v, c) => (ok[c] ? v : priorVec[c])) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!ok[0]) final[1] = prior.gainKPerH;
  const rates: ThermalRates = {
    aPerH: final[0],
    gainKPerH: final[1],
    coolKPerH: final[2],
    heatKPerH: final[3],
    ...(ok[4] || prior.solarKPerH !== undefined ? { solarKPerH: final[4] } : {}),
    ...(ok[5] || prior.occupancyKPerH !== undefined ? { occupancyKPerH: final[5] } : {}),
  };
  let sq = 0;
  for (const { x, y } of rows) {
    const f = final.reduce((sum, r, c) => sum + r * (x[c] ?? 0), 0);
    sq += (y - f) ** 2;
  }
  return {
    rates,
    samples: rows.length,
    rmseKPerH: rows.length > 0 ? Math.sqrt(sq / rows.length) : 0,
    fitted: {
      a: ok[0] === true,
      gain: ok[0] === true && ok[1] === true,
      cool: ok[2] === true,
      heat: ok[3] === true,
      solar: ok[4] === true,
      occupancy: ok[5] === true,
    },
  };
}
