import { describe, expect, it } from 'vitest';
import {
  learnThermalRates,
  PRIOR_THERMAL_RATES,
  type ThermalSample,
} from '../../../src/domain/planning/index.js';
import { stepTemperatureC } from '../../../src/sim/model/thermal.js';
import { T0 } from './fixtures.js';
import { LOBBY, type RcSpace, trueRates } from './rc-space.js';

/** Three days of 5-minute samples from the RC physics: cooling, heating and free-running spells. */
function history(space: RcSpace, noiseC = 0): ThermalSample[] {
  const out: ThermalSample[] = [];
  let t = 24;
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed / 2147483648 - 0.5) * 2 * noiseC;
  };
  for (let k = 0; k < 3 * 24 * 12; k++) {
    const hour = k / 12;
    const tout = 28 + 6 * Math.sin((hour / 24) * 2 * Math.PI);
    const phase = Math.floor(hour) % 6;
    const mode: ThermalSample['mode'] = phase === 1 ? 'cool' : phase === 4 ? 'heat' : 'off';
    const duty = mode === 'off' ? 0 : phase === 1 && hour % 12 < 6 ? 1 : 0.6;
    out.push({ tsMs: T0 + k * 300_000, indoorC: t + noise(), outdoorC: tout, hvacDuty: duty, mode });
    const heatW = mode === 'cool' ? -space.capacityW * duty : mode === 'heat' ? space.capacityW * duty : 0;
    for (let m = 0; m < 5; m++) t = stepTemperatureC(t, tout, space.gainsW, heatW, space.thermal, 60);
  }
  return out;
}

describe('learnThermalRates', () => {
  it('recovers the RC parameters of a simulated space', () => {
    const want = trueRates(LOBBY);
    const got = learnThermalRates(history(LOBBY));
    expect(got.fitted).toEqual({ a: true, gain: true, cool: true, heat: true });
    expect(got.rates.aPerH).toBeCloseTo(want.aPerH, 2);
    expect(got.rates.gainKPerH).toBeCloseTo(want.gainKPerH, 1);
    expect(got.rates.coolKPerH / want.coolKPerH).toBeGreaterThan(0.97);
    expect(got.rates.coolKPerH / want.coolKPerH).toBeLessThan(1.03);
    expect(got.rates.heatKPerH / want.heatKPerH).toBeGreaterThan(0.97);
    expect(got.rates.heatKPerH / want.heatKPerH).toBeLessThan(1.03);
  });

  it('stays close with sensor noise of ±0.1 K', () => {
    const want = trueRates(LOBBY);
    const got = learnThermalRates(history(LOBBY, 0.1));
    expect(Math.abs(got.rates.aPerH - want.aPerH) / want.aPerH).toBeLessThan(0.15);
    expect(Math.abs(got.rates.coolKPerH - want.coolKPerH) / -want.coolKPerH).toBeLessThan(0.1);
  });

  it('keeps the prior for what the data cannot show', () => {
    const onlyOff = history(LOBBY).map((s) => ({ ...s, hvacDuty: 0, mode: 'off' as const }));
    const got = learnThermalRates(onlyOff.slice(0, 200));
    expect(got.fitted.cool).toBe(false);
    expect(got.rates.coolKPerH).toBe(PRIOR_THERMAL_RATES.coolKPerH);
    expect(learnThermalRates([]).rates).toEqual(PRIOR_THERMAL_RATES);
  });

  it('skips gaps longer than the limit', () => {
    const h = history(LOBBY);
    const gapped = h.map((s, i) => (i > 100 ? { ...s, tsMs: s.tsMs + 3_600_000 } : s));
    expect(learnThermalRates(gapped).samples).toBe(h.length - 2);
  });
});
