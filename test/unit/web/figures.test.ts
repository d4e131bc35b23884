import { describe, expect, it } from 'vitest';
import type { SavingsFigureJson } from '../../../src/adapters/http/api-shapes.js';
import { pickFigures } from '../../../src/adapters/http/pages/figures.js';
// The dashboard's browser module follows the same rule; it is plain JS with no DOM use.
import { groupFigures } from '../../../src/adapters/http/web/assets/js/savings.js';

function fig(over: Partial<SavingsFigureJson>): SavingsFigureJson {
  return {
    periodStart: '2026-06-01T00:00:00+08:00',
    periodEnd: '2026-07-01T00:00:00+08:00',
    siteId: 'maple-court',
    spaceId: 'lobby',
    endUse: 'lighting',
    kind: 'measured',
    method: 'randomized',
    hours: 100,
    baselineKWh: 10,
    actualKWh: 7,
    avoidedKWh: 3,
    avoidedShare: 0.3,
    cost: 2,
    currency: 'CNY',
    co2Kg: 1.5,
    interval: { lowKWh: 2, highKWh: 4, confidence: 0.9, method: 'randomized-t' },
    provisional: false,
    provenance: ['design-1'],
    nonRoutine: [],
    ...over,
  };
}

const rules = [
  ['report page', (f: SavingsFigureJson[]) => pickFigures(f, 'community')],
  ['dashboard', (f: SavingsFigureJson[]) => groupFigures(f)],
] as const;

describe.each(rules)('picking figures (%s)', (_name, pick) => {
  it('uses the server’s community total when there is one', () => {
    const out = pick([fig({ spaceId: null, endUse: null, avoidedKWh: 42 }), fig({ avoidedKWh: 3 })]);
    expect(out).toHaveLength(1);
    expect(out[0]?.avoidedKWh).toBe(42);
    expect(out[0]?.interval).not.toBeNull();
  });

  it('never adds measured and estimated, nor two methods', () => {
    const out = pick([
      fig({ kind: 'measured', method: 'randomized', avoidedKWh: 3 }),
      fig({ kind: 'estimated', method: 'randomized', avoidedKWh: 5, spaceId: 'gym' }),
      fig({ kind: 'measured', method: 'baseline', avoidedKWh: 7, spaceId: 'garage' }),
    ]);
    expect(out.map((f) => [f.kind, f.method, f.avoidedKWh]).sort()).toEqual(
      [
        ['estimated', 'randomized', 5],
        ['measured', 'baseline', 7],
        ['measured', 'randomized', 3],
      ].sort(),
    );
  });

  it('takes a space’s total meter alone, and adds end uses of spaces without one, dropping the interval', () => {
    const out = pick([
      fig({ spaceId: 'lobby', endUse: 'total', avoidedKWh: 10, baselineKWh: 40 }),
      fig({ spaceId: 'lobby', endUse: 'lighting', avoidedKWh: 4, baselineKWh: 15 }),
      fig({ spaceId: 'gym', endUse: 'lighting', avoidedKWh: 1, baselineKWh: 5, nonRoutine: ['new tenant'] }),
      fig({ spaceId: 'gym', endUse: 'hvac', avoidedKWh: 2, baselineKWh: 20 }),
    ]);
    expect(out).toHaveLength(1);
    const [f] = out;
    expect(f?.avoidedKWh).toBe(13);
    expect(f?.baselineKWh).toBe(65);
    expect(f?.avoidedShare).toBeCloseTo(13 / 65, 12);
    expect(f?.interval).toBeNull();
    expect(f?.nonRoutine).toEqual(['new tenant']);
  });
});
