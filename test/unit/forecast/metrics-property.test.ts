import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitStats } from '../../../src/domain/forecast/metrics.js';

const pairs = fc
  .array(
    fc.tuple(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true })),
    {
      minLength: 5,
      maxLength: 60,
    },
  )
  .map((xs) => ({ y: xs.map((x) => x[0]), f: xs.map((x) => x[1]) }));

describe('Guideline 14 metrics (properties)', () => {
  it('are unit-free: scaling observations and predictions together changes nothing', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        ({ y, f }, c, p) => {
          const a = fitStats(y, f, p);
          const b = fitStats(
            y.map((v) => v * c),
            f.map((v) => v * c),
            p,
          );
          expect(b.cvRmse).toBeCloseTo(a.cvRmse, 9);
          expect(b.nmbe).toBeCloseTo(a.nmbe, 9);
          if (Number.isFinite(a.r2)) expect(b.r2).toBeCloseTo(a.r2, 6);
        },
      ),
    );
  });

  it('a perfect forecast scores zero error; |NMBE| never exceeds CV(RMSE) · sqrt(n/(n-p))', () => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 3 }), ({ y, f }, p) => {
        const perfect = fitStats(y, y, p);
        expect(perfect.cvRmse).toBe(0);
        expect(perfect.nmbe).toBe(0);
        const s = fitStats(y, f, p);
        // Mean error <= RMS error (Cauchy-Schwarz), in G14's (n - p) normalisation.
        expect(Math.abs(s.nmbe)).toBeLessThanOrEqual(s.cvRmse * Math.sqrt(s.n / (s.n - p)) + 1e-12);
      }),
    );
  });
});
