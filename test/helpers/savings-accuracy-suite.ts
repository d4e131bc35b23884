import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCambridge } from '../../src/adapters/csv/shared-data.js';
import {
  type AccuracyCase,
  type BaselineAccuracy,
  baselineAccuracy,
  quarterDesigns,
  quarters,
  randomizedAccuracy,
  summarizeAccuracy,
} from '../../src/domain/savings/accuracy.js';

export interface AccuracySuite {
  /** A folder laid out as the Cambridge Estates archive (buildings/, weather_bedford/). */
  readonly root: string;
  readonly buildings: readonly string[];
  /** Buildings that really changed: flagged, never credited with savings. */
  readonly changed: readonly string[];
  /** How many other buildings may be flagged. */
  readonly otherFlaggedAtMost: number;
  /** Upper bounds on the mean half-widths (shares of the baseline). */
  readonly maxHalfWidth: { readonly empirical: number; readonly randomized: number };
}

/**
 * The savings methods on real meter data (Cambridge University Estates, 2018-2019): 12 % of the
 * load is removed in each 2019 quarter (randomized: on the treated days only) and each method's
 * 90 % interval must hold that share, and zero when nothing is removed. One setting for all
 * buildings; buildings that really changed must be flagged, not credited with savings.
 */
export function savingsAccuracySuite(name: string, suite: AccuracySuite): void {
  const SHARE = 0.12;
  const BASELINE_END = Date.UTC(2019, 0, 1);
  const buildings = existsSync(suite.root) ? loadCambridge(suite.root) : [];
  const baseline: BaselineAccuracy[] = buildings.map((b) =>
    baselineAccuracy(b.id, b.series, { baselineEndMs: BASELINE_END, windows: quarters(2019), share: SHARE }),
  );
  const randomized: AccuracyCase[] = buildings.flatMap((b, i) =>
    randomizedAccuracy(b.id, b.series, { windows: quarterDesigns(2019), share: SHARE, seed: i + 1 }),
  );
  const summary = summarizeAccuracy([...baseline.flatMap((b) => b.cases), ...randomized]);
  const of = (method: string) => summary.find((s) => s.method === method);
  const unchanged = suite.buildings.length - suite.changed.length;

  describe(name, () => {
    it(`reads all ${suite.buildings.length} buildings from ${suite.root}`, () => {
      expect(buildings.map((b) => b.id).sort()).toEqual([...suite.buildings].sort());
    });

    it(`flags ${suite.changed.join(' and ')} and gives them no savings figure`, () => {
      const flagged = baseline.filter((b) => b.flagged).map((b) => b.id);
      for (const id of suite.changed) expect(flagged).toContain(id);
      expect(flagged.filter((id) => !suite.changed.includes(id)).length).toBeLessThanOrEqual(
        suite.otherFlaggedAtMost,
      );
      for (const b of baseline) expect(b.noFigureWhenFlagged).toBe(true);
    });

    it('baseline method, empirical 90 % interval: holds the removed share and zero in >= 80 % of cases', () => {
      const s = of('baseline-empirical');
      expect(s?.cases).toBeGreaterThanOrEqual((unchanged - suite.otherFlaggedAtMost) * 4);
      expect((s?.holdsTruth ?? 0) / (s?.cases ?? 1)).toBeGreaterThanOrEqual(0.8);
      expect((s?.holdsZero ?? 0) / (s?.cases ?? 1)).toBeGreaterThanOrEqual(0.8);
      // Informative, not a blanket: the mean half-width stays well below the share being measured x 2.
      expect(s?.meanHalfWidth).toBeLessThan(suite.maxHalfWidth.empirical);
    });

    it('randomized method, 90 % interval over days: holds the share and zero in >= 80 % of cases, all buildings', () => {
      const s = of('randomized');
      expect(s?.cases).toBe(suite.buildings.length * 4);
      expect((s?.holdsTruth ?? 0) / (s?.cases ?? 1)).toBeGreaterThanOrEqual(0.8);
      expect((s?.holdsZero ?? 0) / (s?.cases ?? 1)).toBeGreaterThanOrEqual(0.8);
      expect(s?.meanHalfWidth).toBeLessThan(suite.maxHalfWidth.randomized);
    });

    it('the Guideline 14 interval alone is far too narrow for year-to-year drift (why the empirical one exists)', () => {
      const g = of('baseline-g14');
      const e = of('baseline-empirical');
      expect(g?.cases).toBe(e?.cases);
      expect(g?.meanHalfWidth).toBeLessThan(e?.meanHalfWidth ?? 0);
      expect(g?.holdsTruth).toBeLessThan(e?.holdsTruth ?? 0);
    });
  });
}
