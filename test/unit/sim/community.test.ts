import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommunityModel } from '../../../src/sim/model/build.js';
import type { CommunityModel } from '../../../src/sim/model/community.js';
import type { MeterReading, SimOutput } from '../../../src/sim/model/outputs.js';
import {
  type CommunityState,
  initialRegisterKWh,
  initialState,
  withLease,
} from '../../../src/sim/model/state.js';
import { advance } from '../../../src/sim/model/step.js';
import { JULY_TUESDAY_MS, simConfig } from './fixture.js';

const HOUR = 3_600_000;

function settled(model: CommunityModel, startMs = JULY_TUESDAY_MS): CommunityState {
  return advance(model, initialState(model, startMs - 24 * HOUR), startMs, false).state;
}

/** Runs from the start to `hours` later in ticks of `tickMs`, collecting outputs. */
function run(model: CommunityModel, hours: number, tickMs: number) {
  let state = settled(model);
  const outputs: SimOutput[] = [];
  const end = state.tMs + hours * HOUR;
  for (let t = state.tMs + tickMs; state.tMs < end; t += tickMs) {
    const r = advance(model, state, Math.min(end, t));
    state = r.state;
    outputs.push(...r.outputs);
  }
  return { state, outputs };
}

const meterOutputs = (outputs: SimOutput[], id: string) =>
  outputs.filter((o): o is MeterReading => o.kind === 'meter' && o.meter.id === id);

describe('community step', () => {
  const model = buildCommunityModel(simConfig());

  it('is reproducible for a seed and differs for another seed', () => {
    const a = run(model, 6, HOUR);
    const b = run(model, 6, HOUR);
    expect(b.outputs).toEqual(a.outputs);
    const other = run(buildCommunityModel(simConfig('sim', { seed: 8 })), 6, HOUR);
    expect(other.outputs).not.toEqual(a.outputs);
  });

  it('does not depend on how time is split into ticks (clock speed)', () => {
    const coarse = run(model, 12, 6 * HOUR);
    const fine = run(model, 12, 60_000);
    const odd = run(model, 12, 7 * 60_000 + 13_000);
    expect(fine.outputs).toEqual(coarse.outputs);
    expect(odd.outputs).toEqual(coarse.outputs);
    expect(odd.state).toEqual(coarse.state);
  });

  it('gives the same readings for any split of time into ticks (property)', () => {
    const start = settled(model);
    const end = start.tMs + 2 * HOUR;
    const whole = advance(model, start, end);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 2 * HOUR - 1 }), { maxLength: 12 }), (cuts) => {
        let state = start;
        const outputs: SimOutput[] = [];
        for (const cut of [...cuts.sort((a, b) => a - b), 2 * HOUR]) {
          const r = advance(model, state, start.tMs + cut);
          state = r.state;
          outputs.push(...r.outputs);
        }
        expect(outputs).toEqual(whole.outputs);
        expect(state).toEqual(whole.state);
      }),
      { numRuns: 15 },
    );
  });

  it('registers rise by exactly the energy of the published power', () => {
    const { outputs } = run(model, 6, HOUR);
    for (const id of ['lobby-light', 'lobby-total', 'gym-plug']) {
      const readings = meterOutputs(outputs, id);
      let energyKWh = 0;
      for (const r of readings.slice(1)) energyKWh += (r.powerW * 60) / 3_600_000;
      const rise = (readings.at(-1)?.registerKWh ?? 0) - (readings[0]?.registerKWh ?? 0);
      expect(rise).toBeGreaterThan(0);
      expect(rise).toBeCloseTo(energyKWh, 9);
    }
  });

  it('publishes each meter once per period, with a rising register', () => {
    const { outputs } = run(model, 3, HOUR);
    for (const id of ['lobby-light', 'lobby-total', 'gym-light', 'gym-hvac', 'gym-plug']) {
      const readings = meterOutputs(outputs, id);
      expect(readings.length).toBe(180);
      for (let i = 1; i < readings.length; i++) {
        expect((readings[i]?.tMs ?? 0) - (readings[i - 1]?.tMs ?? 0)).toBe(60_000);
        expect(readings[i]?.registerKWh).toBeGreaterThanOrEqual(readings[i - 1]?.registerKWh ?? 0);
      }
    }
  });

  it('lighting power follows the schedule: gym off at night, full when open; lobby base level', () => {
    const { outputs } = run(model, 24, HOUR);
    const at = (id: string, localHour: number) =>
      meterOutputs(outputs, id).find((r) => r.tMs === JULY_TUESDAY_MS + localHour * HOUR + 30 * 60_000);
    expect(at('gym-light', 3)?.powerW).toBe(0);
    expect(at('gym-light', 12)?.powerW).toBeCloseTo(1600, 6);
    expect(at('lobby-light', 12)?.powerW).toBeCloseTo(900 * (0.1 + 0.9 * 0.4), 6);
    expect(at('lobby-light', 20)?.powerW).toBeCloseTo(900, 6);
  });

  it('a total meter sums lighting, HVAC and plug loads of its space', () => {
    const { state } = run(model, 2, HOUR);
    const lobby = state.spaces['demo/lobby'];
    expect(state.meters['lobby-total']?.powerW).toBeCloseTo(
      (lobby?.lightingW ?? 0) + (lobby?.hvacW ?? 0) + (lobby?.plugW ?? 0),
      9,
    );
    expect(lobby?.plugW).toBeGreaterThan(0);
  });

  it('the gym is cooled to its setpoint in July opening hours and drifts up when closed', () => {
    const { outputs } = run(model, 24, HOUR);
    const temps = outputs.filter((o) => o.kind === 'sensor' && o.topic === 'sim/gym/temperature');
    const tempAt = (h: number) => {
      const o = temps.find((x) => x.tMs >= JULY_TUESDAY_MS + h * HOUR);
      return o?.kind === 'sensor' ? Number(o.values['indoor-temperature']) : Number.NaN;
    };
    expect(tempAt(15)).toBeCloseTo(25, 1);
    expect(tempAt(5.75)).toBeGreaterThan(tempAt(15) + 0.5);
    const hvac = meterOutputs(outputs, 'gym-hvac');
    const hvacAt = (h: number) => hvac.find((r) => r.tMs >= JULY_TUESDAY_MS + h * HOUR)?.powerW ?? Number.NaN;
    expect(hvacAt(3)).toBe(0);
    expect(hvacAt(15)).toBeGreaterThan(900);
  });

  it('motion sensors publish on change only, other sensors every period', () => {
    const { outputs } = run(model, 24, HOUR);
    const occ = outputs.filter((o) => o.kind === 'sensor' && o.topic === 'sim/gym/occupancy');
    expect(occ.length).toBeGreaterThan(2);
    for (let i = 1; i < occ.length; i++) {
      const a = occ[i - 1];
      const b = occ[i];
      if (a?.kind === 'sensor' && b?.kind === 'sensor')
        expect(b.values.occupancy).not.toBe(a.values.occupancy);
    }
    const outdoor = outputs.filter((o) => o.kind === 'sensor' && o.topic === 'sim/weather/outdoor');
    expect(outdoor.length).toBe(24 * 60);
    // The lobby multi-sensor sends occupancy together with illuminance every time.
    const lobby = outputs.filter((o) => o.kind === 'sensor' && o.topic === 'sim/z2m/lobby-motion');
    expect(lobby.length).toBeGreaterThanOrEqual(24 * 60);
    for (const o of lobby)
      if (o.kind === 'sensor') expect(Object.keys(o.values).sort()).toEqual(['illuminance', 'occupancy']);
  });

  it('the step is pure: the input state is not changed', () => {
    const state = settled(model);
    const copy = structuredClone(state);
    advance(model, state, state.tMs + 2 * HOUR);
    expect(state).toEqual(copy);
  });

  it('a lease overrides the schedule until it expires (the closed-loop hook)', () => {
    const state = withLease(settled(model), 'gym-lights', {
      kind: 'lighting',
      levelPct: 50,
      validUntilMs: JULY_TUESDAY_MS + 13 * HOUR,
    });
    const r = advance(model, state, JULY_TUESDAY_MS + 14 * HOUR);
    const gym = meterOutputs(r.outputs, 'gym-light');
    expect(gym.find((x) => x.tMs === JULY_TUESDAY_MS + 12 * HOUR)?.powerW).toBeCloseTo(1600 * 0.55, 6);
    expect(gym.find((x) => x.tMs === JULY_TUESDAY_MS + 14 * HOUR)?.powerW).toBeCloseTo(1600, 6);
  });

  it('registers start non-zero from the seed and grow with time, so a restart continues near on', () => {
    const a = initialRegisterKWh(7, 'm', 2, JULY_TUESDAY_MS);
    expect(a).toBeGreaterThan(100);
    expect(initialRegisterKWh(7, 'm', 2, JULY_TUESDAY_MS)).toBe(a);
    expect(initialRegisterKWh(8, 'm', 2, JULY_TUESDAY_MS)).not.toBe(a);
    expect(initialRegisterKWh(7, 'm', 2, JULY_TUESDAY_MS + 24 * HOUR) - a).toBeCloseTo(48, 6);
  });
});
