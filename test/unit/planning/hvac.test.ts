import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMFORT,
  learnThermalRates,
  planSpace,
  type SensorSnapshot,
  type SlotCommand,
  type ThermalSample,
} from '../../../src/domain/planning/index.js';
import { stepTemperatureC } from '../../../src/sim/model/thermal.js';
import { coolSchedule, fill, hvacInput, occupancy, planInput, SLOTS, T0 } from './fixtures.js';
import { LOBBY, simulate, trueRates } from './rc-space.js';

const outdoor = fill(SLOTS, (i) => 30 + 4 * Math.sin(((i - 36) / SLOTS) * 2 * Math.PI));
const toutAt = (i: number) => outdoor[i] ?? 30;
const OCC_START = 32;
const OCC_END = 88;

/** Optimal start may begin up to 3 h before the schedule here (by default it waits for the schedule). */
const PRE_SCHEDULE = { preScheduleStartMinutes: 180 };

function lobbyInput(overrides: Parameters<typeof hvacInput>[0] = {}, startC = 31) {
  return planInput({
    outdoorTempC: outdoor,
    sensors: { indoorTempC: startC },
    hvac: hvacInput({
      rates: trueRates(LOBBY),
      schedule: coolSchedule(OCC_START, OCC_END),
      tuning: PRE_SCHEDULE,
      ...overrides,
    }),
  });
}

const commandsOf = (plan: ReturnType<typeof planSpace>): SlotCommand[] =>
  (plan.hvac[0]?.slots ?? []).map((s) =>
    s.mode === 'off' || s.setpointC === undefined
      ? { mode: 'off' }
      : { mode: s.mode, setpointC: s.setpointC },
  );

/** Slots before occupancy the unit runs, counting back from occupancy start. */
function preStartSlots(plan: ReturnType<typeof planSpace>): number {
  const slots = plan.hvac[0]?.slots ?? [];
  let n = 0;
  for (let i = OCC_START - 1; i >= 0 && slots[i]?.mode !== 'off'; i--) n++;
  return n;
}

/** Band edge less the margin optimal start aims for (cool: 28 - 0.5 °C, heat: 18 + 0.5 °C). */
const COOL_GOAL_C = DEFAULT_COMFORT.comfortHighC - 0.5;
const HEAT_GOAL_C = DEFAULT_COMFORT.comfortLowC + 0.5;

/** Fewest pre-start slots, running at the setpoint, with which the true physics reach `goalC` by occupancy start. */
function minimalPreStart(
  startC: number,
  space = LOBBY,
  mode: 'cool' | 'heat' = 'cool',
  setpointC = 26,
  tout: (i: number) => number = toutAt,
  goalC = mode === 'cool' ? COOL_GOAL_C : HEAT_GOAL_C,
  toleranceC = 0,
): number {
  for (let k = 0; k <= OCC_START; k++) {
    const cmds: SlotCommand[] = fill(OCC_START, (i) =>
      i >= OCC_START - k ? { mode, setpointC } : { mode: 'off' },
    );
    const t = simulate(space, startC, cmds, tout)[OCC_START - 1] ?? Number.NaN;
    if (mode === 'cool' ? t <= goalC + toleranceC : t >= goalC - toleranceC) return k;
  }
  return Number.POSITIVE_INFINITY;
}

describe('HVAC plan', () => {
  it('optimal start is inside the comfort band (edge less 0.5 K) by occupancy start on a simulated RC space', () => {
    const plan = planSpace(lobbyInput(), T0);
    const temps = simulate(LOBBY, 31, commandsOf(plan), toutAt);
    expect(temps[OCC_START - 1]).toBeLessThanOrEqual(COOL_GOAL_C);
    expect(plan.hvac[0]?.slots[OCC_START - 1]).toMatchObject({ phase: 'optimal-start', setpointC: 26 });
    // It does not pull the empty space all the way to the setpoint beforehand.
    expect(preStartSlots(plan)).toBeLessThan(minimalPreStart(31, LOBBY, 'cool', 26, toutAt, 26, 0.3));
    // Just early enough: no more than the capacity margin (1 / 0.8) plus a slot beyond the minimum.
    const minimal = minimalPreStart(31);
    expect(minimal).toBeGreaterThan(0);
    expect(preStartSlots(plan)).toBeGreaterThanOrEqual(minimal);
    expect(preStartSlots(plan)).toBeLessThanOrEqual(Math.ceil(minimal / 0.8) + 1);
  });

  it('by default starts at most one plan step before the schedule: its hours are the hours the property conditions today', () => {
    const plan = planSpace(lobbyInput({ tuning: {} }), T0);
    const slots = plan.hvac[0]?.slots ?? [];
    expect(slots.slice(0, OCC_START - 1).every((x) => x.mode === 'off')).toBe(true);
    expect(slots[OCC_START - 1]).toMatchObject({ mode: 'cool', setpointC: 26, phase: 'optimal-start' });
    const strict = planSpace(lobbyInput({ tuning: { preScheduleStartMinutes: 0 } }), T0);
    expect((strict.hvac[0]?.slots ?? []).slice(0, OCC_START).every((x) => x.mode === 'off')).toBe(true);
  });

  it('starts later than a schedule that starts long before people come, still in the band by then', () => {
    const schedule = coolSchedule(OCC_START - 16, OCC_END);
    const plan = planSpace(lobbyInput({ schedule, tuning: {} }), T0);
    const slots = plan.hvac[0]?.slots ?? [];
    const firstOn = slots.findIndex((x) => x.mode === 'cool');
    // The schedule would cool from 4 h before occupancy; the plan holds the band edge until the
    // optimal start, then reaches the band by occupancy start.
    expect(slots.slice(OCC_START - 16, OCC_START).some((x) => x.phase === 'optimal-start')).toBe(true);
    expect(
      slots.slice(OCC_START - 16, OCC_START).filter((x) => x.phase === 'optimal-start').length,
    ).toBeLessThan(16);
    expect(firstOn).toBeGreaterThanOrEqual(OCC_START - 16);
    const temps = simulate(LOBBY, 31, commandsOf(plan), toutAt);
    expect(temps[OCC_START - 1]).toBeLessThanOrEqual(COOL_GOAL_C);
  });

  it('starts earlier from a warmer space', () => {
    const cool = preStartSlots(planSpace(lobbyInput({}, 28), T0));
    const warm = preStartSlots(planSpace(lobbyInput({}, 38), T0));
    expect(warm).toBeGreaterThan(cool);
  });

  it('optimal start also works from rates learned from the space history', () => {
    const history: ThermalSample[] = [];
    let t = 27;
    for (let k = 0; k < 2 * 24 * 12; k++) {
      const tout = 28 + 5 * Math.sin((k / 288) * 2 * Math.PI);
      const on = Math.floor(k / 12) % 4 === 1;
      history.push({
        tsMs: T0 + k * 300_000,
        indoorC: t,
        outdoorC: tout,
        hvacDuty: on ? 1 : 0,
        mode: on ? 'cool' : 'off',
      });
      for (let m = 0; m < 5; m++)
        t = stepTemperatureC(t, tout, LOBBY.gainsW, on ? -LOBBY.capacityW : 0, LOBBY.thermal, 60);
    }
    const { rates } = learnThermalRates(history);
    const input = lobbyInput({ rates });
    const temps = simulate(LOBBY, 31, commandsOf(planSpace(input, T0)), toutAt);
    expect(temps[OCC_START - 1]).toBeLessThanOrEqual(COOL_GOAL_C);
  });

  it('keeps the schedule setpoint in every occupied slot (equal comfort)', () => {
    const plan = planSpace(lobbyInput(), T0);
    const slots = plan.hvac[0]?.slots ?? [];
    for (let i = OCC_START; i < OCC_END; i++) {
      const s = slots[i];
      if (s?.phase === 'early-stop') continue;
      expect(s?.phase).toBe('occupied');
      expect(s?.setpointC).toBe(26);
    }
  });

  it('early stop coasts at the end of occupancy and stays inside the band', () => {
    const plan = planSpace(lobbyInput(), T0);
    const slots = plan.hvac[0]?.slots ?? [];
    const coast = slots.map((s, i) => (s.phase === 'early-stop' ? i : -1)).filter((i) => i >= 0);
    expect(coast.length).toBeGreaterThan(0);
    expect(coast.length).toBeLessThanOrEqual(4);
    expect(coast.at(-1)).toBe(OCC_END - 1);
    const temps = simulate(LOBBY, 31, commandsOf(plan), toutAt);
    for (let i = OCC_START; i < OCC_END; i++)
      expect(temps[i]).toBeLessThanOrEqual(DEFAULT_COMFORT.comfortHighC);
    // Coasting keeps the 0.5 K margin inside the band edge.
    for (const i of coast) expect(temps[i]).toBeLessThanOrEqual(COOL_GOAL_C + 0.05);
    // Early stop must use less energy than holding the setpoint to the end.
    const held = commandsOf(plan).map((c, i) =>
      coast.includes(i) ? { mode: 'cool' as const, setpointC: 26 } : c,
    );
    const heldTemps = simulate(LOBBY, 31, held, toutAt);
    expect(temps[OCC_END - 1]).toBeGreaterThan((heldTemps[OCC_END - 1] ?? 0) + 0.2);
  });

  it('does not stop early where coasting would leave the band', () => {
    const hot = fill(SLOTS, () => 40);
    const input = planInput({
      outdoorTempC: hot,
      sensors: { indoorTempC: 26 },
      hvac: hvacInput({ rates: { ...trueRates(LOBBY), aPerH: 2 }, schedule: coolSchedule(0, OCC_END) }),
      occupancyProbability: occupancy(0, OCC_END),
    });
    const plan = planSpace(input, T0);
    expect(plan.hvac[0]?.slots.some((s) => s.phase === 'early-stop')).toBe(false);
  });

  it('relaxes within the band in low occupancy and sets back when nobody is expected', () => {
    const prob = fill(SLOTS, (i) => (i < 40 ? 0.9 : i < 60 ? 0.2 : 0.02));
    const input = planInput({
      outdoorTempC: outdoor,
      occupancyProbability: prob,
      sensors: { indoorTempC: 26 },
      hvac: hvacInput({ rates: trueRates(LOBBY), schedule: coolSchedule(0, SLOTS) }),
    });
    const slots = planSpace(input, T0).hvac[0]?.slots ?? [];
    expect(slots[10]).toMatchObject({ phase: 'occupied', setpointC: 26 });
    expect(slots[50]).toMatchObject({ phase: 'relaxed', setpointC: 27 });
    expect(slots[80]).toMatchObject({ phase: 'setback', setpointC: 28 });
    for (const s of slots) if (s.setpointC !== undefined) expect(s.setpointC).toBeLessThanOrEqual(28);
  });

  it('keeps relaxed setpoints 0.5 K inside the band edge', () => {
    const input = planInput({
      outdoorTempC: outdoor,
      occupancyProbability: fill(SLOTS, () => 0.2),
      sensors: { indoorTempC: 26 },
      hvac: hvacInput({ rates: trueRates(LOBBY), schedule: coolSchedule(0, SLOTS), tuning: { relaxC: 2 } }),
    });
    const slots = planSpace(input, T0).hvac[0]?.slots ?? [];
    expect(slots[10]).toMatchObject({ phase: 'relaxed', setpointC: COOL_GOAL_C });
  });

  it('stops early from the current slot of a block in progress, never while presence is seen now', () => {
    const plan = (occupied: boolean) =>
      planSpace(
        planInput({
          outdoorTempC: fill(SLOTS, () => 24),
          sensors: { indoorTempC: 26, occupied },
          hvac: hvacInput({ rates: trueRates(LOBBY), schedule: coolSchedule(0, 3) }),
          occupancyProbability: occupancy(0, 3),
        }),
        T0,
      ).hvac[0]?.slots ?? [];
    expect(plan(false)[0]?.phase).toBe('early-stop');
    expect(plan(true)[0]).toMatchObject({ phase: 'occupied', setpointC: 26 });
    expect(plan(true)[1]?.phase).toBe('early-stop');
  });

  it('treats presence seen now as occupied whatever the forecast', () => {
    const input = planInput({
      occupancyProbability: fill(SLOTS, () => 0),
      sensors: { indoorTempC: 26, occupied: true },
      hvac: hvacInput({ rates: trueRates(LOBBY), schedule: coolSchedule(0, SLOTS) }),
    });
    expect(planSpace(input, T0).hvac[0]?.slots[0]).toMatchObject({ phase: 'occupied', setpointC: 26 });
  });

  it('optimal start pre-heats, at the heating setpoint, into the comfort band by occupancy start', () => {
    const cold = fill(SLOTS, (i) => 4 + 3 * Math.sin(((i - 36) / SLOTS) * 2 * Math.PI));
    const heated = { ...LOBBY, capacityW: 12_000 };
    const input = planInput({
      outdoorTempC: cold,
      sensors: { indoorTempC: 14 },
      hvac: hvacInput({
        rates: trueRates(heated),
        schedule: fill(SLOTS, (i) =>
          i >= OCC_START && i < OCC_END ? { mode: 'heat', setpointC: 20 } : { mode: 'off' },
        ),
        tuning: PRE_SCHEDULE,
      }),
    });
    const plan = planSpace(input, T0);
    const temps = simulate(heated, 14, commandsOf(plan), (i) => cold[i] ?? 4);
    expect(temps[OCC_START - 1]).toBeGreaterThanOrEqual(HEAT_GOAL_C);
    expect(plan.hvac[0]?.slots[OCC_START - 1]).toMatchObject({
      mode: 'heat',
      phase: 'optimal-start',
      setpointC: 20,
    });
    const minimal = minimalPreStart(14, heated, 'heat', 20, (i) => cold[i] ?? 4);
    expect(minimal).toBeGreaterThan(2);
    expect(preStartSlots(plan)).toBeGreaterThanOrEqual(minimal);
    expect(preStartSlots(plan)).toBeLessThanOrEqual(Math.ceil(minimal / 0.8) + 1);
  });

  it('heats at most to 20 °C even when the schedule asks for more', () => {
    const input = planInput({
      outdoorTempC: fill(SLOTS, () => 0),
      sensors: { indoorTempC: 12 },
      hvac: hvacInput({
        rates: trueRates(LOBBY),
        schedule: fill(SLOTS, (i) => (i >= 32 && i < 88 ? { mode: 'heat', setpointC: 22 } : { mode: 'off' })),
      }),
    });
    const plan = planSpace(input, T0);
    expect(plan.hvacMode).toBe('heat');
    const sps = (plan.hvac[0]?.slots ?? []).flatMap((s) => (s.setpointC === undefined ? [] : [s.setpointC]));
    expect(Math.max(...sps)).toBe(20);
    expect(plan.hvac[0]?.slots[40]?.setpointC).toBe(20);
  });
});

describe('pre-cooling', () => {
  // Valley until 06:00 (slot 24), flat to 08:00, peak from occupancy on.
  const tou = fill(SLOTS, (i) => (i < 24 ? 0.3 : i < 32 ? 0.7 : 1.2));

  function costOf(plan: ReturnType<typeof planSpace>): number {
    return plan.hvacCost;
  }

  it('pre-cools in the valley only when that lowers the cost, and then it is cheaper', () => {
    const input = (saving: number, price: number[], sp = 27) =>
      planInput({
        outdoorTempC: outdoor,
        pricePerKWh: price,
        sensors: { indoorTempC: 31 },
        hvac: hvacInput({
          rates: trueRates(LOBBY),
          schedule: coolSchedule(OCC_START, OCC_END, sp),
          tuning: { preconditionMinSaving: saving },
        }),
      });
    const withPre = planSpace(input(0.001, tou), T0);
    const without = planSpace(input(1, tou), T0);
    const phases = withPre.hvac[0]?.slots.map((s) => s.phase) ?? [];
    expect(phases).toContain('precondition');
    expect(costOf(withPre)).toBeLessThan(costOf(without));
    // Never below the cooling limit, and the occupied setpoint is back at occupancy.
    for (const s of withPre.hvac[0]?.slots ?? [])
      if (s.setpointC !== undefined) expect(s.setpointC).toBeGreaterThanOrEqual(26);
    expect(withPre.hvac[0]?.slots[OCC_START]?.setpointC).toBe(27);
    // A flat tariff gives no reason to start early.
    const flat = planSpace(
      input(
        0.001,
        fill(SLOTS, () => 0.6),
      ),
      T0,
    );
    expect(flat.hvac[0]?.slots.some((s) => s.phase === 'precondition')).toBe(false);
  });

  it('does not pre-cool when the early hours are dearer', () => {
    const reversed = fill(SLOTS, (i) => (i < 32 ? 1.2 : 0.3));
    const input = planInput({
      outdoorTempC: outdoor,
      pricePerKWh: reversed,
      sensors: { indoorTempC: 31 },
      hvac: hvacInput({ rates: trueRates(LOBBY), schedule: coolSchedule(OCC_START, OCC_END, 27) }),
    });
    expect(planSpace(input, T0).hvac[0]?.slots.some((s) => s.phase === 'precondition')).toBe(false);
  });
});

describe('HVAC after the scheduled hours', () => {
  const ended = T0 - 15 * 60_000;
  const afterHours = (sensors: SensorSnapshot, endedMs = ended) =>
    planInput({
      occupancyProbability: fill(SLOTS, () => 0),
      outdoorTempC: fill(SLOTS, () => 31),
      sensors,
      hvac: hvacInput({ rates: trueRates(LOBBY), schedule: coolSchedule(40, 88), scheduleEndedMs: endedMs }),
    });

  it('keeps people who stayed past the end inside the band (edge less the margin) while they stay', () => {
    const plan = planSpace(
      afterHours({ indoorTempC: 28.2, occupied: true, occupiedSinceMs: ended - 3_600_000 }),
      T0,
    );
    expect(plan.hvac[0]?.slots[0]).toMatchObject({ mode: 'cool', setpointC: 27.5, phase: 'after-hours' });
    // Only now: later slots are off (the next plan looks again).
    expect(plan.hvac[0]?.slots[1]).toMatchObject({ mode: 'off' });
  });

  it('does not run the unit while the space is comfortably inside the band', () => {
    const plan = planSpace(
      afterHours({ indoorTempC: 26.2, occupied: true, occupiedSinceMs: ended - 60_000 }),
      T0,
    );
    expect(plan.hvac[0]?.slots[0]?.mode).toBe('off');
  });

  it('does nothing for someone who came after the end, for an empty space, or hours later', () => {
    const late = planSpace(
      afterHours({ indoorTempC: 28.2, occupied: true, occupiedSinceMs: ended + 60_000 }),
      T0,
    );
    expect(late.hvac[0]?.slots[0]?.mode).toBe('off');
    const empty = planSpace(afterHours({ indoorTempC: 28.2, occupied: false }), T0);
    expect(empty.hvac[0]?.slots[0]?.mode).toBe('off');
    const hoursLater = planSpace(
      afterHours(
        { indoorTempC: 28.2, occupied: true, occupiedSinceMs: T0 - 8 * 3_600_000 },
        T0 - 7 * 3_600_000,
      ),
      T0,
    );
    expect(hoursLater.hvac[0]?.slots[0]?.mode).toBe('off');
  });
});
