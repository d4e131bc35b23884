import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { WorkerLpSolver } from '../../src/adapters/solver/worker-lp-solver.js';
import { type AlertRaise, alertKey } from '../../src/domain/alerts/alert.js';
import { DEFAULT_COMFORT } from '../../src/domain/planning/defaults.js';
import { hvacProgram } from '../../src/domain/planning/predictive/plan.js';
import { HORIZON_SLOTS, type PlanInput } from '../../src/domain/planning/types.js';
import type { LpSolver } from '../../src/ports/lp-solver.js';
import type { AlertSink } from '../../src/ports/operations.js';
import { ControlService } from '../../src/services/control/control-service.js';
import { predictiveRound } from '../../src/services/control/predictive-round.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../helpers/fakes/index.js';
import { captureLogger } from '../helpers/logger.js';
import { FakeBus, FakeSensors, hvacLobbyConfig, START_MS, settle } from '../unit/control/fakes.js';

/**
 * The predictive planner over the real solver: HiGHS in its worker thread. A program that is really
 * infeasible, or really stopped by its time limit, leaves the rules' plan of the same round in
 * force, with the reason in the audit log.
 */
const solver = new WorkerLpSolver();
afterAll(() => solver.close());

/**
 * A time limit of 1 ms, whatever the config asks: HiGHS stops at its first check, or the worker
 * finds the batch's deadline past before it starts a program; either way the status says so.
 */
const noTime: LpSolver = {
  solve: (requests) => solver.solve(requests, { timeLimitMs: 1 }),
  close: async () => undefined,
};

class Alerts implements AlertSink {
  readonly open = new Map<string, AlertRaise>();
  raise(a: AlertRaise): void {
    this.open.set(alertKey(a), a);
  }
  clear(a: Pick<AlertRaise, 'kind' | 'siteId' | 'spaceId' | 'subject'>): void {
    this.open.delete(alertKey(a));
  }
}

let service: ControlService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

async function runLobby(opts: { indoorC: number; comfortHighC?: number; hvacSolver: LpSolver }) {
  // Cooled to 24 °C from 06:00 to 24:00; `comfortHighC` narrows the band.
  const config = hvacLobbyConfig({
    from: '06:00',
    to: '00:00',
    control: { comfort: { comfortHighC: opts.comfortHighC ?? 28, comfortLowC: 18 } },
  });
  const clock = new ManualClock(START_MS); // 12:00 in Shanghai
  const sensors = new FakeSensors();
  const alerts = new Alerts();
  const audit = new MemorySetpointAuditStore();
  sensors.values.set('site/lobby/indoor-temperature', {
    sensorId: 'lobby-temp',
    value: opts.indoorC,
    tsMs: clock.now(),
    stale: false,
  });
  sensors.values.set('site/null/outdoor-temperature', {
    sensorId: 'outdoor',
    value: 32,
    tsMs: clock.now(),
    stale: false,
  });
  sensors.emit('site', 'lobby', true, clock.now());
  service = new ControlService({
    bus: new FakeBus(clock),
    clock,
    scheduler: new SimulatedScheduler(clock),
    log: captureLogger(),
    audit,
    settings: new MemoryKeyValueStore(),
    setup: { sites: config.sites, schedules: config.schedules, control: config.control, prefix: 'quietwatt' },
    sensors,
    meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: 1 }) },
    alerts,
    hvacSolver: opts.hvacSolver,
  });
  await service.start();
  await settle();
  const row = audit.latestForDevice('site', 'lobby', 'lobby-ac');
  const inputs = JSON.parse(row?.inputsJson ?? '{}') as { hvacPlanner?: string };
  return { row, inputs, alerts, plan: service.planOf('site', 'lobby')?.plan };
}

describe('predictive HVAC in the control service', () => {
  it('plans with the program and sends its setpoint with the reason', async () => {
    const { row, inputs } = await runLobby({ indoorC: 27, hvacSolver: solver });
    expect(inputs.hvacPlanner).toBe('predictive');
    expect(row?.publishedAtMs).not.toBeNull();
    expect(row?.reason).toMatch(/^(predictive|pre-cool)/);
  });

  it('a real infeasible program: the rules plan in the same round, and the reason is audited', async () => {
    const { row, inputs, plan } = await runLobby({ indoorC: 60, hvacSolver: solver });
    expect(inputs.hvacPlanner).toBe('rules (solver status Infeasible)');
    expect(row?.publishedAtMs).not.toBeNull();
    expect(row?.reason).not.toMatch(/^predictive/);
    expect(plan?.hvac[0]?.slots[0]?.reason).not.toMatch(/^predictive/);
  });

  it("a real time limit: HiGHS stops, and the rules' plan of the same round is sent", async () => {
    const { row, inputs } = await runLobby({ indoorC: 27, hvacSolver: noTime });
    expect(inputs.hvacPlanner).toBe('rules (solver status Time limit reached)');
    expect(row?.publishedAtMs).not.toBeNull();
    expect(JSON.parse(row?.valueJson ?? '{}')).toMatchObject({ mode: 'cool' });
  });

  it('raises the predicted band alert naming the hours and the reason, from the plan', async () => {
    // Band 18-26 °C, aimed at 25.5 °C, under the 26 °C cooling limit: the limit keeps it out of reach.
    const { alerts, inputs } = await runLobby({ indoorC: 26, comfortHighC: 26, hvacSolver: solver });
    expect(inputs.hvacPlanner).toBe('predictive');
    const alert = alerts.open.get('comfort-risk:site:lobby:band-hold-predicted');
    expect(alert?.message).toMatch(/^site\/lobby is predicted above 25\.5 °C while occupied at 12:00-/);
    expect(alert?.message).toContain('(up to 0.5 K, limit)');
    expect(alert?.message).toContain('at limit: the 26 °C setpoint limit keeps the unit from holding it');
    expect(alert?.message).not.toContain('at capacity');
  });
});

/** Arbitrary hot days of one lobby cooled all day. */
const dayArb = fc.record({
  indoorC: fc.double({ min: 20, max: 75, noNaN: true }),
  outdoorMeanC: fc.double({ min: 20, max: 38, noNaN: true }),
  coolKPerH: fc.double({ min: -8, max: -0.5, noNaN: true }),
  aPerH: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

function inputOf(d: typeof dayArb extends fc.Arbitrary<infer T> ? T : never): PlanInput {
  return {
    spaceId: 'lobby',
    spaceType: 'lobby',
    startMs: 0,
    occupancyProbability: [0.9],
    outdoorTempC: Array.from(
      { length: HORIZON_SLOTS },
      (_, i) => d.outdoorMeanC + 5 * Math.sin((i / 96) * 2 * Math.PI),
    ),
    pricePerKWh: [1],
    sensors: { indoorTempC: d.indoorC, occupied: true },
    hvac: {
      devices: [{ deviceId: 'ac', ratedPowerW: 5000 }],
      comfort: { ...DEFAULT_COMFORT, comfortLowC: 20, comfortHighC: 27 },
      rates: { aPerH: d.aPerH, gainKPerH: 1, coolKPerH: d.coolKPerH, heatKPerH: 4 },
      schedule: [{ mode: 'cool', setpointC: 24 }],
    },
  };
}

describe('fallback within the plan round, for arbitrary days', () => {
  it('a vanishing time limit leaves every space to the rules, with the status as the reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dayArb, { minLength: 1, maxLength: 4 }), async (days) => {
        const spaces = days.map((d, i) => ({ key: `s${i}`, input: inputOf(d) }));
        const out = await predictiveRound(spaces, 0, { solver, log: captureLogger(), timeLimitMs: 0 });
        expect(out.size).toBe(spaces.length);
        for (const o of out.values())
          expect(o).toEqual({ planner: 'rules', why: 'solver status Time limit reached' });
      }),
      { numRuns: 10, seed: 1111 },
    );
  });

  it('a program is refused exactly when even full output all day misses the slack cap', async () => {
    let infeasible = 0;
    let planned = 0;
    await fc.assert(
      fc.asyncProperty(dayArb, async (d) => {
        const input = inputOf(d);
        const out = await predictiveRound([{ key: 'lobby', input }], 0, {
          solver,
          log: captureLogger(),
          timeLimitMs: 10_000,
        });
        // The coolest the space can be: full output in every slot, never below its floor.
        const lp = hvacProgram(input);
        if (!lp) throw new Error('no program');
        let t = lp.startTempC;
        let worstK = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < lp.slots; k++) {
          t = Math.max(
            lp.floorC[k] ?? t,
            lp.decay * t + (lp.driftC[k] ?? 0) + lp.perOutputC * (lp.uMax[k] ?? 0),
          );
          const point = lp.comfort.find((c) => c.point === k + 1);
          if (point) worstK = Math.max(worstK, t - point.limitC);
        }
        const beyondCap = worstK > lp.tuning.maxSlackK + 1e-6;
        const o = out.get('lobby');
        if (o?.planner === 'rules') {
          infeasible++;
          expect(o.why).toBe('solver status Infeasible');
        } else planned++;
        expect(o?.planner === 'rules', `worst ${worstK} K`).toBe(beyondCap);
      }),
      { numRuns: 30, seed: 1112 },
    );
    expect(infeasible).toBeGreaterThan(0);
    expect(planned).toBeGreaterThan(0);
  });
});
