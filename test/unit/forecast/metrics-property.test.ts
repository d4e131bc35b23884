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
          // Relative tolerance: the values span orders of magnitude (R² of near-constant data is huge).
          const close = (x: number, z: number, tol: number): boolean =>
            (Number.isNaN(x) && Number.isNaN(z)) || Math.abs(x - z) <= tol * Math.max(1, Math.abs(x));
          expect(close(b.cvRmse, a.cvRmse, 1e-9)).toBe(true);
          expect(close(b.nmbe, a.nmbe, 1e-9)).toBe(true);
          if (Number.isFinite(a.r2) && Math.abs(a.r2) < 1e6) expect(close(b.r2, a.r2, 1e-6)).toBe(true);
        },
      ),
      { numRuns: 1000 },
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
