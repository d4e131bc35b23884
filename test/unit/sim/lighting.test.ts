import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indoorIlluminanceLux, lightingPowerW } from '../../../src/sim/model/lighting.js';

describe('LED lighting power', () => {
  it('is rated x (0.1 + 0.9 x level) while on, zero only when off', () => {
    expect(lightingPowerW(1000, 0)).toBe(0);
    expect(lightingPowerW(1000, 100)).toBeCloseTo(1000, 9);
    expect(lightingPowerW(1000, 50)).toBeCloseTo(550, 9);
    expect(lightingPowerW(1000, 1)).toBeCloseTo(109, 9);
    expect(lightingPowerW(1000, 150)).toBeCloseTo(1000, 9);
  });

  it('rises with level and never falls below a tenth of rated while on', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 10_000, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (rated, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(lightingPowerW(rated, lo)).toBeLessThanOrEqual(lightingPowerW(rated, hi) + 1e-9);
          expect(lightingPowerW(rated, lo)).toBeGreaterThanOrEqual(0.1 * rated - 1e-9);
        },
      ),
    );
  });

  it('illuminance adds daylight to electric light', () => {
    expect(indoorIlluminanceLux(200, 50, 0.01, 0)).toBeCloseTo(100, 9);
    expect(indoorIlluminanceLux(200, 0, 0.01, 500)).toBeCloseTo(550, 6);
  });
});
