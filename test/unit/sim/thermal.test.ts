import { describe, expect, it } from 'vitest';
import { copCooling, copHeating, hvacStep } from '../../../src/sim/model/hvac.js';
import { heatToReachW, stepTemperatureC, type ThermalParams } from '../../../src/sim/model/thermal.js';

const room: ThermalParams = { uaWPerK: 600, capacityJPerK: 600 * 20_000 };

function drift(startC: number, outdoorC: number, hours: number, hvacW = 0, gainsW = 0, stepS = 60): number {
  let t = startC;
  for (let s = 0; s < (hours * 3600) / stepS; s++)
    t = stepTemperatureC(t, outdoorC, gainsW, hvacW, room, stepS);
  return t;
}

describe('RC thermal model', () => {
  it('relaxes towards the outdoor temperature and follows it', () => {
    const hot = drift(22, 35, 6);
    const cold = drift(22, 5, 6);
    expect(hot).toBeGreaterThan(22);
    expect(hot).toBeLessThan(35);
    expect(cold).toBeLessThan(22);
    expect(drift(22, 35, 200)).toBeCloseTo(35, 3);
  });

  it('gains and HVAC heat move the equilibrium by Q / UA', () => {
    expect(drift(20, 10, 300, 0, 1200)).toBeCloseTo(12, 3);
    expect(drift(30, 30, 300, -3000)).toBeCloseTo(25, 3);
  });

  it('does not depend on the step length for constant inputs', () => {
    const fine = drift(18, 33, 2, -500, 800, 60);
    const coarse = drift(18, 33, 2, -500, 800, 3600);
    expect(fine).toBeCloseTo(coarse, 9);
  });

  it('heatToReachW lands exactly on the target', () => {
    const q = heatToReachW(24, 28, 33, 1000, room, 60);
    expect(stepTemperatureC(28, 33, 1000, q, room, 60)).toBeCloseTo(24, 9);
  });
});

describe('HVAC under a command', () => {
  const unit = { ratedPowerW: 3000, fanShare: 0.1 };

  it('cooling holds the setpoint when capacity allows and draws fan + heat / COP', () => {
    const r = hvacStep({ mode: 'cool', setpointC: 26 }, unit, 26, 32, 32, 500, room, 60);
    expect(r.heatW).toBeLessThan(0);
    expect(stepTemperatureC(26, 32, 500, r.heatW, room, 60)).toBeCloseTo(26, 6);
    expect(r.electricW).toBeCloseTo(300 + -r.heatW / copCooling(32), 6);
  });

  it('is capacity limited: a hot room cools at most (rated - fan) x COP', () => {
    const r = hvacStep({ mode: 'cool', setpointC: 20 }, unit, 35, 35, 35, 2000, room, 60);
    expect(r.heatW).toBeCloseTo(-2700 * copCooling(35), 6);
    expect(r.electricW).toBeCloseTo(3000, 6);
  });

  it('does nothing when off, only fans in fan mode, and never cools in heat mode', () => {
    expect(hvacStep({ mode: 'off', setpointC: 20 }, unit, 30, 30, 30, 0, room, 60)).toEqual({
      heatW: 0,
      electricW: 0,
    });
    expect(hvacStep({ mode: 'fan', setpointC: 20 }, unit, 30, 30, 30, 0, room, 60)).toEqual({
      heatW: 0,
      electricW: 300,
    });
    const heat = hvacStep({ mode: 'heat', setpointC: 20 }, unit, 25, 30, 30, 0, room, 60);
    expect(heat.heatW).toBe(0);
    const warm = hvacStep({ mode: 'heat', setpointC: 20 }, unit, 15, 5, 5, 0, room, 60);
    expect(warm.heatW).toBeGreaterThan(0);
  });

  it('auto heats below and cools above its dead band', () => {
    expect(hvacStep({ mode: 'auto', setpointC: 22 }, unit, 18, 10, 10, 0, room, 60).heatW).toBeGreaterThan(0);
    expect(hvacStep({ mode: 'auto', setpointC: 22 }, unit, 27, 32, 32, 0, room, 60).heatW).toBeLessThan(0);
    expect(hvacStep({ mode: 'auto', setpointC: 22 }, unit, 22, 22, 22, 0, room, 60).heatW).toBe(0);
  });

  it('COP falls as the outdoor air gets hotter (cooling) or colder (heating)', () => {
    expect(copCooling(35)).toBeCloseTo(3.2, 9);
    expect(copCooling(25)).toBeGreaterThan(copCooling(35));
    expect(copHeating(7)).toBeCloseTo(3, 9);
    expect(copHeating(-5)).toBeLessThan(copHeating(7));
  });

  it('a space warms in summer without HVAC and is pulled back to the setpoint with it', () => {
    let free = 26;
    let cooled = 26;
    for (let i = 0; i < 8 * 60; i++) {
      free = stepTemperatureC(free, 34, 2000, 0, room, 60);
      const r = hvacStep({ mode: 'cool', setpointC: 26 }, unit, cooled, 34, 34, 2000, room, 60);
      cooled = stepTemperatureC(cooled, 34, 2000, r.heatW, room, 60);
    }
    expect(free).toBeGreaterThan(30);
    expect(cooled).toBeCloseTo(26, 3);
  });
});
