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

/**
 * Three days of 5-minute samples of dT/dt = a (Tout - T) + g + gSolar s + gOcc o + b u, with the sun
 * by the proxy's shape and people on an irregular pattern, so neither follows the time of day alone.
 */
function gainsHistory(): ThermalSample[] {
  const rates = { a: 0.3, g: 0.4, solar: 1.2, occ: 0.8, cool: -4 };
  const out: ThermalSample[] = [];
  let t = 26;
  for (let k = 0; k < 3 * 24 * 12; k++) {
    const hour = (k / 12) % 24;
    const tout = 28 + 5 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const solar = hour <= 6 || hour >= 18 ? 0 : Math.sin((Math.PI * (hour - 6)) / 12);
    const occupancy = (k * 7919) % 13 < 5 ? 1 : 0;
    const duty = Math.floor(k / 12) % 5 === 2 ? 1 : 0;
    out.push({
      tsMs: T0 + k * 300_000,
      indoorC: t,
      outdoorC: tout,
      hvacDuty: duty,
      mode: duty > 0 ? 'cool' : 'off',
      solarProxy: solar,
      occupancy,
    });
    const dt = 5 / 60 / 20;
    for (let m = 0; m < 20; m++)
      t +=
        dt *
        (rates.a * (tout - t) + rates.g + rates.solar * solar + rates.occ * occupancy + rates.cool * duty);
  }
  return out;
}

describe('learnThermalRates', () => {
  it('learns the solar and occupancy gains where the samples carry them', () => {
    const got = learnThermalRates(gainsHistory(), { maxGapMinutes: 7 });
    expect(got.fitted).toMatchObject({ a: true, gain: true, cool: true, solar: true, occupancy: true });
    expect(got.rates.aPerH).toBeCloseTo(0.3, 1);
    expect(got.rates.solarKPerH ?? 0).toBeGreaterThan(1.0);
    expect(got.rates.solarKPerH ?? 0).toBeLessThan(1.4);
    expect(got.rates.occupancyKPerH ?? 0).toBeGreaterThan(0.65);
    expect(got.rates.occupancyKPerH ?? 0).toBeLessThan(0.95);
  });

  it('leaves the solar and occupancy terms out where the samples do not carry them', () => {
    const got = learnThermalRates(gainsHistory().map(({ solarProxy: _s, occupancy: _o, ...rest }) => rest));
    expect(got.fitted.solar).toBe(false);
    expect(got.fitted.occupancy).toBe(false);
    expect(got.rates.solarKPerH).toBeUndefined();
  });

  it('recovers the RC parameters of a simulated space', () => {
    const want = trueRates(LOBBY);
    const got = learnThermalRates(history(LOBBY));
    expect(got.fitted).toEqual({
      a: true,
      gain: true,
      cool: true,
      heat: true,
      solar: false,
      occupancy: false,
    });
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
