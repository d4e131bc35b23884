import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerLpSolver } from '../../src/adapters/solver/worker-lp-solver.js';
import { DEFAULT_COMFORT } from '../../src/domain/planning/defaults.js';
import { planHvac } from '../../src/domain/planning/hvac.js';
import { planSpace } from '../../src/domain/planning/plan-space.js';
import { HORIZON_SLOTS, type PlanInput } from '../../src/domain/planning/types.js';
import type { LpSolver } from '../../src/ports/lp-solver.js';
import { planRound } from '../../src/services/control/predictive-round.js';
import { captureLogger } from '../helpers/logger.js';

// The rules' HVAC planner, counted: which spaces the round had it plan.
vi.mock('../../src/domain/planning/hvac.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/domain/planning/hvac.js')>();
  return { ...original, planHvac: vi.fn(original.planHvac) };
});
const rulesPlanned = () => vi.mocked(planHvac).mock.calls.map(([input]) => input.spaceId);
beforeEach(() => {
  vi.mocked(planHvac).mockClear();
});

/**
 * The plan round over the real solver: the rules' HVAC plan is made only for the spaces the
 * predictive planner leaves to them, a program refused included, in the same round.
 */
const solver = new WorkerLpSolver();
afterAll(() => solver.close());

/** A lobby cooled all day on a hot day, lit; `indoorC` undefined: no program (no indoor reading). */
function lobby(spaceId: string, indoorC: number | undefined, coolKPerH = -5): PlanInput {
  return {
    spaceId,
    spaceType: 'lobby',
    startMs: 0,
    occupancyProbability: [0.9],
    outdoorTempC: Array.from({ length: HORIZON_SLOTS }, (_, i) => 32 + 5 * Math.sin((i / 96) * 2 * Math.PI)),
    pricePerKWh: [1],
    sensors: { occupied: true, ...(indoorC === undefined ? {} : { indoorTempC: indoorC }) },
    lighting: {
      devices: [{ deviceId: 'lights', ratedPowerW: 400 }],
      levels: { safetyMinLevelPct: 15, occupiedLevelPct: 60 },
    },
    hvac: {
      devices: [{ deviceId: 'ac', ratedPowerW: 5000 }],
      comfort: { ...DEFAULT_COMFORT, comfortLowC: 20, comfortHighC: 27 },
      rates: { aPerH: 0.3, gainKPerH: 1, coolKPerH, heatKPerH: 4 },
      schedule: [{ mode: 'cool', setpointC: 24 }],
    },
  };
}

const spaces = [
  { key: 'accepted', input: lobby('accepted', 27) },
  // Far too hot for a weak unit: no plan holds the band within the slack cap.
  { key: 'refused', input: lobby('refused', 75, -0.5) },
  { key: 'no-program', input: lobby('no-program', undefined) },
];

describe('plan round', () => {
  it("makes the rules' HVAC plan only where the program is refused or absent, in the same round", async () => {
    const out = await planRound(spaces, 0, {
      log: captureLogger(),
      predictive: { solver, timeLimitMs: 10_000 },
    });
    expect(rulesPlanned().sort()).toEqual(['no-program', 'refused']);
    const accepted = out.get('accepted');
    expect(accepted?.planner).toBe('predictive');
    expect(accepted?.plan.hvac[0]?.slots[0]?.reason).toMatch(/^(predictive|pre-cool)/);
    // The lights are planned alike, whichever planner made the HVAC part.
    expect(accepted?.plan.lighting).toEqual(planSpace(spaces[0]?.input as PlanInput, 0).lighting);
    expect(out.get('refused')).toEqual({
      planner: 'rules',
      plan: planSpace(spaces[1]?.input as PlanInput, 0),
      why: 'solver status Infeasible',
    });
    expect(out.get('no-program')).toEqual({
      planner: 'rules',
      plan: planSpace(spaces[2]?.input as PlanInput, 0),
    });
  });

  it('without the predictive planner the rules plan every space', async () => {
    const out = await planRound(spaces, 0, { log: captureLogger() });
    expect(rulesPlanned().sort()).toEqual(['accepted', 'no-program', 'refused']);
    expect([...out.values()].map((o) => o.planner)).toEqual(['rules', 'rules', 'rules']);
  });

  it('a solver that throws leaves every space to the rules, with the error as the reason', async () => {
    const broken: LpSolver = {
      solve: () => Promise.reject(new Error('worker gone')),
      close: async () => undefined,
    };
    const log = captureLogger();
    const out = await planRound(spaces, 0, { log, predictive: { solver: broken, timeLimitMs: 10_000 } });
    expect(rulesPlanned().sort()).toEqual(['accepted', 'no-program', 'refused']);
    expect(out.size).toBe(3);
    for (const o of out.values())
      expect(o).toMatchObject({ planner: 'rules', why: 'predictive round failed: Error: worker gone' });
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      'predictive round failed; the rules plan every space this round',
    ]);
  });

  it('a space whose planning throws is left out, and the others are planned', async () => {
    vi.mocked(planHvac).mockImplementationOnce(() => {
      throw new Error('bad input');
    });
    const log = captureLogger();
    const out = await planRound([{ key: 'broken', input: lobby('broken', 27) }, ...spaces], 0, { log });
    expect([...out.keys()]).toEqual(['accepted', 'refused', 'no-program']);
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        obj: { space: 'broken', err: 'Error: bad input' },
        msg: 'planning failed; devices stay on the last plan',
      },
    ]);
  });
});
