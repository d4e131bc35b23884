import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { lpText } from '../../../src/domain/planning/predictive/lp-text.js';
import {
  type BoundBlock,
  blockDiscomfortKh,
  boundEnergyKWh,
  type HvacBoundInput,
  hvacBoundModel,
} from '../../../src/sim/bench/hvac-bound.js';
import { stepTemperatureC } from '../../../src/sim/model/thermal.js';
import { solveInThread } from '../../helpers/highs.js';

let solve: Awaited<ReturnType<typeof solveInThread>>;
beforeAll(async () => {
  solve = await solveInThread();
});

const BLOCK_S = 300;
const ROOM = { uaWPerK: 200, capacityJPerK: 200 * 6 * 3600 };

function input(blocks: BoundBlock[], over: Partial<HvacBoundInput> = {}): HvacBoundInput {
  return {
    mode: 'heat',
    blocks,
    blockS: BLOCK_S,
    startC: 20,
    ...ROOM,
    fanW: 100,
    comfortLowC: 20,
    comfortHighC: 27,
    limitC: 22,
    discomfortKh: 0,
    ...over,
  };
}

const block = (over: Partial<BoundBlock> = {}): BoundBlock => ({
  boundaryC: 0,
  gainsW: 500,
  occupiedH: BLOCK_S / 3600,
  capacityW: 9000,
  cop: 3,
  ...over,
});

function bound(i: HvacBoundInput): { status: string; kWh: number; columns: Record<string, number> } {
  const r = solve(lpText(hvacBoundModel(i)));
  return { status: r.status, kWh: boundEnergyKWh(i, r.columns), columns: r.columns };
}

/** What a policy of heat per block costs and the discomfort it leaves, on the same room model. */
function follow(
  i: HvacBoundInput,
  heatW: readonly number[],
): { kWh: number; discomfortKh: number; temps: number[] } {
  const temps = [i.startC];
  let kWh = 0;
  i.blocks.forEach((b, k) => {
    const q = heatW[k] ?? 0;
    const signed = i.mode === 'heat' ? q : -q;
    const t = temps[k] ?? i.startC;
    temps.push(
      stepTemperatureC(
        t,
        b.boundaryC,
        b.gainsW,
        signed,
        { uaWPerK: i.uaWPerK, capacityJPerK: i.capacityJPerK },
        i.blockS,
      ),
    );
    kWh += (q * (i.blockS / 3600) * (1 / b.cop + i.fanW / b.capacityW)) / 1000;
  });
  return { kWh, discomfortKh: blockDiscomfortKh(i.blocks, temps, i.comfortLowC, i.comfortHighC), temps };
}

describe('hvacBoundModel', () => {
  it('holds a room at the band edge with exactly the heat its losses need', () => {
    const i = input(Array.from({ length: 12 }, () => block()));
    const r = bound(i);
    expect(r.status).toBe('Optimal');
    // Steady state at 20 °C: UA × (20 - 0) - gains = 3,500 W for an hour, at COP 3 plus the fan share.
    // Discomfort is read at each block's mid temperature, so the room may sag in the last half block.
    const expected = (3500 * (1 / 3 + 100 / 9000)) / 1000;
    expect(r.kWh).toBeLessThanOrEqual(expected + 1e-9);
    expect(r.kWh).toBeGreaterThan((expected * 11) / 12);
  });

  it('spends nothing when the allowance covers the whole cold', () => {
    const i = input(
      Array.from({ length: 12 }, () => block()),
      { discomfortKh: 1000 },
    );
    expect(bound(i).kWh).toBeCloseTo(0, 6);
  });

  it('is infeasible when the units cannot hold the band and no discomfort is allowed', () => {
    const i = input(Array.from({ length: 48 }, () => block({ capacityW: 1000 })));
    expect(bound(i).status).toBe('Infeasible');
  });

  it('never heats the room past the warmest setpoint allowed', () => {
    // Heat is cheap early (COP 4.5) and dear later (COP 1.6): pre-heating pays, but only up to 22 °C.
    const blocks = Array.from({ length: 24 }, (_, k) =>
      block({ cop: k < 12 ? 4.5 : 1.6, occupiedH: k < 12 ? 0 : BLOCK_S / 3600 }),
    );
    const i = input(blocks, { startC: 19 });
    const r = bound(i);
    expect(r.status).toBe('Optimal');
    for (let k = 1; k <= blocks.length; k++) expect(r.columns[`T${k}`] ?? 0).toBeLessThanOrEqual(22 + 1e-6);
    expect(Math.max(...Array.from({ length: 12 }, (_, k) => r.columns[`T${k + 1}`] ?? 0))).toBeGreaterThan(
      21,
    );
  });

  it('costs no more than any policy that keeps to the same discomfort (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'heat' | 'cool'>('heat', 'cool'),
        fc.array(
          fc.record({
            boundaryC: fc.double({ min: -10, max: 38, noNaN: true }),
            gainsW: fc.double({ min: 0, max: 2000, noNaN: true }),
            occupied: fc.boolean(),
            cop: fc.double({ min: 1.6, max: 6, noNaN: true }),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 4, maxLength: 40 },
        ),
        fc.double({ min: 12, max: 30, noNaN: true }),
        (mode, steps, startC) => {
          const blocks = steps.map((s) =>
            block({
              boundaryC: s.boundaryC,
              gainsW: s.gainsW,
              cop: s.cop,
              capacityW: 3000 * s.cop,
              occupiedH: s.occupied ? BLOCK_S / 3600 : 0,
            }),
          );
          // A policy that respects the limit: its heat only brings the room toward the limit.
          const limitC = mode === 'heat' ? 22 : 24;
          const i0 = input(blocks, { mode, startC, limitC });
          const heatW: number[] = [];
          let t = startC;
          blocks.forEach((b, k) => {
            const wanted = (steps[k]?.share ?? 0) * b.capacityW;
            const room = { uaWPerK: i0.uaWPerK, capacityJPerK: i0.capacityJPerK };
            const free = stepTemperatureC(t, b.boundaryC, b.gainsW, 0, room, BLOCK_S);
            const sign = mode === 'heat' ? 1 : -1;
            const full = stepTemperatureC(t, b.boundaryC, b.gainsW, sign * wanted, room, BLOCK_S);
            // Scale the heat down so the room stops at the limit (a thermostat held there).
            const past = sign * (full - limitC);
            const q =
              past > 0 && sign * (free - limitC) < 0
                ? (wanted * sign * (limitC - free)) / (sign * (full - free))
                : sign * (free - limitC) >= 0
                  ? 0
                  : wanted;
            heatW.push(q);
            t = stepTemperatureC(t, b.boundaryC, b.gainsW, sign * q, room, BLOCK_S);
          });
          const policy = follow(i0, heatW);
          const r = bound({ ...i0, discomfortKh: policy.discomfortKh + 1e-6 });
          expect(r.status).toBe('Optimal');
          expect(r.kWh).toBeLessThanOrEqual(policy.kWh + 1e-4);
        },
      ),
      { numRuns: 60 },
    );
  });
});
