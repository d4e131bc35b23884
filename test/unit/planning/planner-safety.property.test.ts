import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlConfig } from '../../../src/config/schema/control.js';
import { DeviceConfig } from '../../../src/config/schema/device.js';
import { ScheduleConfig } from '../../../src/config/schema/schedule.js';
import { SiteConfig } from '../../../src/config/schema/site.js';
import { decisionOf, recordSent, verdictOf } from '../../../src/domain/control/next-value.js';
import { SPACE_TYPES } from '../../../src/domain/energy.js';
import { planSpace } from '../../../src/domain/planning/plan-space.js';
import { hvacProgram, predictivePlan } from '../../../src/domain/planning/predictive/plan.js';
import { HORIZON_SLOTS, SLOT_MS, type SpacePlan } from '../../../src/domain/planning/types.js';
import { applySafety } from '../../../src/domain/safety/apply-safety.js';
import { type DeviceRecord, initialRecord } from '../../../src/domain/safety/device-record.js';
import type { SetpointValue } from '../../../src/domain/setpoints/contract.js';
import { SHANGHAI_TOU_EXAMPLE } from '../../../src/domain/tariff/presets.js';
import type { SensorValueView, SensorView } from '../../../src/ports/control-inputs.js';
import {
  type ControlledDevice,
  type ControlSetup,
  catalogue,
} from '../../../src/services/control/catalogue.js';
import { type BuiltPlan, buildSpacePlan } from '../../../src/services/control/plan-builder.js';
import { solveInThread } from '../../helpers/highs.js';

/**
 * The planner respects every limit itself: for arbitrary configs, forecasts, sensors, tariffs,
 * learned rates and times of day, each value of the plan the control service builds passes the
 * safety layer unchanged when safety has no other reason to step in (active, commissioned, fresh
 * inputs, no override, no release). Checked per value on its own (bounds, space-type minimums,
 * comfort limits, native resolution) and as the dispatcher walks the plan slot by slot (dimming
 * rate, setpoint rate, mode spacing and leases on top).
 */
const TZ = 'Asia/Shanghai';
/** 2026-07-01 00:00 in Shanghai. */
const DAY0 = Date.UTC(2026, 5, 30, 16, 0, 0);
const HOUR_MS = 3_600_000;

const half = (min: number, max: number) => fc.integer({ min: min * 2, max: max * 2 }).map((k) => k / 2);
const ordered = (a: fc.Arbitrary<number>) =>
  fc.tuple(a, a).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const);
const hhmm = (q: number) =>
  `${String(Math.floor(q / 4) % 24).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;

/** Setpoint limits and comfort band on the half-degree grid, as the config requires them to nest. */
const comfortArb = fc
  .record({
    heatMax: half(14, 24),
    heatSpan: half(0, 6),
    gap: half(0.5, 6),
    coolSpan: half(0, 6),
    low: half(14, 22),
    width: half(1, 10),
  })
  .map((c) => ({
    heatSetpointMinC: Math.max(5, c.heatMax - c.heatSpan),
    heatSetpointMaxC: c.heatMax,
    coolSetpointMinC: c.heatMax + c.gap,
    coolSetpointMaxC: Math.min(35, c.heatMax + c.gap + c.coolSpan),
    comfortLowC: c.low,
    comfortHighC: Math.min(35, c.low + c.width),
  }));

/** The defaults, a site that lowers them (deeper cooling, warmer heating), or anything nested. */
const siteComfortArb = fc.oneof(
  fc.constant(undefined),
  fc
    .record({ coolDown: half(0, 2.5), heatUp: half(0, 2.5) })
    .map((r) => ({ coolSetpointMinC: 26 - r.coolDown, heatSetpointMaxC: 20 + r.heatUp })),
  comfortArb,
);

const hvacBlock = fc.record({
  from: fc.integer({ min: 0, max: 95 }),
  len: fc.integer({ min: 1, max: 95 }),
  mode: fc.constantFrom('cool', 'cool', 'heat', 'heat', 'off', 'fan', 'auto'),
  setpointC: half(16, 32),
});
const lightBlock = fc.record({
  from: fc.integer({ min: 0, max: 95 }),
  len: fc.integer({ min: 1, max: 95 }),
  levelPct: fc.integer({ min: 0, max: 100 }),
});

const deviceLimitsArb = fc.record(
  {
    levels: ordered(fc.integer({ min: 0, max: 100 })),
    setpoints: ordered(half(10, 34)),
  },
  { requiredKeys: [] },
);

const hourly = (min: number, max: number) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: 24, maxLength: 36 });

const caseArb = fc.record({
  type: fc.constantFrom(...SPACE_TYPES),
  comfort: siteComfortArb,
  typeComfort: fc.option(comfortArb, { nil: undefined }),
  typeLevels: fc.option(
    fc.record({
      safetyMinLevelPct: fc.integer({ min: 0, max: 60 }),
      occupiedLevelPct: fc.integer({ min: 0, max: 100 }),
    }),
    { nil: undefined },
  ),
  dimming: fc.constantFrom(1, 2, 5, 10, 50),
  preStart: fc.constantFrom(0, 15, 60, 180),
  hvacBlocks: fc.array(hvacBlock, { minLength: 1, maxLength: 3 }),
  /** Mostly one season (the schedules the planner takes over), sometimes whatever the blocks say. */
  season: fc.constantFrom('cool' as const, 'heat' as const, 'cool' as const, 'heat' as const, undefined),
  lightBlocks: fc.array(lightBlock, { maxLength: 3 }),
  lightDefault: fc.integer({ min: 0, max: 100 }),
  light: deviceLimitsArb,
  hvacs: fc.array(deviceLimitsArb, { minLength: 1, maxLength: 2 }),
  // What each unit draws while idle (idlePowerW of 3000 W rated): none, or up to half its rating.
  idleW: fc.array(fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }), {
    minLength: 2,
    maxLength: 2,
  }),
  tariff: fc.boolean(),
  rates: fc.option(
    fc.record({
      aPerH: fc.double({ min: 0.02, max: 1.5, noNaN: true }),
      gainKPerH: fc.double({ min: -0.5, max: 2, noNaN: true }),
      coolKPerH: fc.double({ min: -8, max: -0.2, noNaN: true }),
      heatKPerH: fc.double({ min: 0.2, max: 8, noNaN: true }),
    }),
    { nil: undefined },
  ),
  occupancy: fc.option(
    fc.oneof(hourly(0, 1), fc.array(fc.constantFrom(0, 0.05, 0.3, 0.9, 1), { minLength: 24, maxLength: 36 })),
    { nil: undefined },
  ),
  /** Hot days when cooling, cold ones when heating (the days pre-conditioning is for). */
  outdoor: fc.option(hourly(0, 15), { nil: undefined }),
  outdoorNow: fc.option(fc.double({ min: -15, max: 42, noNaN: true }), { nil: undefined }),
  occupied: fc.option(fc.boolean(), { nil: undefined }),
  occupiedForMin: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
  indoor: fc.option(fc.double({ min: 5, max: 38, noNaN: true }), { nil: undefined }),
  lux: fc.option(fc.double({ min: 0, max: 2000, noNaN: true }), { nil: undefined }),
  fullOutputLux: fc.option(fc.integer({ min: 50, max: 800 }), { nil: undefined }),
  currentLevelPct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  /** Minutes into the week from 2026-07-01 00:00 local (also a time of day). */
  atMin: fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function setupOf(c: Case): ControlSetup {
  const control = ControlConfig.parse({
    defaultMode: 'active',
    requireCommissioning: true,
    lightingDecreasePctPerMinute: c.dimming,
    hvacPreStartBeforeScheduleMinutes: c.preStart,
    ...(c.comfort ? { comfort: c.comfort } : {}),
    ...(c.typeComfort || c.typeLevels
      ? {
          spaceTypes: {
            [c.type]: { ...(c.typeComfort ? { comfort: c.typeComfort } : {}), ...(c.typeLevels ?? {}) },
          },
        }
      : {}),
  });
  const schedules = [
    ScheduleConfig.parse({
      id: 'h',
      kind: 'hvac',
      blocks: c.hvacBlocks
        .map((b) => ({
          ...b,
          mode: c.season && b.mode !== 'off' ? c.season : b.mode,
        }))
        .map((b) => ({
          from: hhmm(b.from),
          to: hhmm((b.from + b.len) % 96),
          mode: b.mode,
          ...(b.mode === 'off' || b.mode === 'fan' ? {} : { setpointC: b.setpointC }),
        })),
    }),
    ScheduleConfig.parse({
      id: 'l',
      kind: 'lighting',
      defaultLevelPct: c.lightDefault,
      blocks: c.lightBlocks.map((b) => ({
        from: hhmm(b.from),
        to: hhmm((b.from + b.len) % 96),
        levelPct: b.levelPct,
      })),
    }),
  ];
  const limits = (l: Case['light']) => ({
    ...(l.levels ? { minLevelPct: l.levels[0], maxLevelPct: l.levels[1] } : {}),
    ...(l.setpoints ? { minSetpointC: l.setpoints[0], maxSetpointC: l.setpoints[1] } : {}),
  });
  const devices = [
    DeviceConfig.parse({
      id: 'lights',
      kind: 'lighting',
      ratedPowerW: 400,
      schedule: 'l',
      limits: limits(c.light),
    }),
    ...c.hvacs.map((l, i) =>
      DeviceConfig.parse({
        id: `ac${i}`,
        kind: 'hvac',
        ratedPowerW: 3000,
        ...(c.idleW[i] === undefined ? {} : { idlePowerW: c.idleW[i] }),
        schedule: 'h',
        limits: limits(l),
      }),
    ),
  ];
  const site = SiteConfig.parse({
    id: 'site',
    name: 'Site',
    timezone: TZ,
    spaces: [{ id: 'sp', type: c.type, areaM2: 120, devices }],
  });
  return { sites: [site], schedules, control, prefix: 'quietwatt' };
}

function sensorsOf(c: Case, nowMs: number): SensorView {
  const v = (value: number): SensorValueView => ({
    sensorId: 's',
    value,
    tsMs: nowMs - 60_000,
    stale: false,
  });
  return {
    latest: (_site, space, kind) => {
      if (space === null)
        return kind === 'outdoor-temperature' && c.outdoorNow !== undefined ? v(c.outdoorNow) : undefined;
      if (kind === 'occupancy') return c.occupied === undefined ? undefined : v(c.occupied ? 1 : 0);
      if (kind === 'indoor-temperature') return c.indoor === undefined ? undefined : v(c.indoor);
      if (kind === 'illuminance') return c.lux === undefined ? undefined : v(c.lux);
      return undefined;
    },
    freshness: () => [],
    onOccupancy: () => () => undefined,
  };
}

function sameValue(a: SetpointValue, b: SetpointValue): boolean {
  const norm = (v: SetpointValue) => JSON.stringify(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

const commissioned = (deviceId: string): DeviceRecord => ({
  ...initialRecord(deviceId),
  commissioning: 'passed',
});

interface Tally {
  checked: number;
  changed: number;
  first?: string;
}

/** What the generators reached, so a weakened arbitrary shows (values per HVAC phase, lighting). */
const reached = new Map<string, number>();
const reach = (key: string) => reached.set(key, (reached.get(key) ?? 0) + 1);

/**
 * Passes the plan's value at `nowMs` through the safety layer as the dispatcher does and counts it
 * as changed unless it comes out as the same setpoint.
 */
function step(plan: SpacePlan, d: ControlledDevice, record: DeviceRecord, nowMs: number, tally: Tally) {
  const want = { kind: 'plan' as const, plan, planId: 'plan-1' };
  const decision = decisionOf(want, d.deviceId, `sp-${nowMs}`, d.ctx, nowMs);
  if (!decision) return record;
  const outcome = applySafety(decision, { record, inputs: [], spaceMode: 'active' }, d.ctx, nowMs);
  tally.checked++;
  if (decision.value.kind === 'lighting') reach('lighting');
  else {
    const slot = plan.hvac.find((h) => h.deviceId === d.deviceId)?.slots[
      Math.floor((nowMs - plan.startMs) / SLOT_MS)
    ];
    reach(`hvac:${slot?.phase ?? '?'}`);
    if (decision.value.mode === 'cool' || decision.value.mode === 'heat') reach('hvac:setpoint');
  }
  const unchanged =
    outcome.action === 'setpoint' && outcome.publish && sameValue(outcome.value, decision.value);
  if (!unchanged) {
    tally.changed++;
    tally.first ??= `${d.deviceId} at ${new Date(nowMs).toISOString()}: planned ${JSON.stringify(decision.value)} (${decision.reason}) -> ${outcome.action} ${'value' in outcome ? JSON.stringify(outcome.value) : ''} [${outcome.reasons.join(', ')}]`;
  }
  if (outcome.action === 'none') return record;
  const { verdict } = verdictOf(outcome, decision, record, d.ctx, nowMs);
  return verdict === 'send' ? recordSent(record, outcome, nowMs) : record;
}

/** HiGHS in this thread: the property needs the solver's answers, not the worker around it. */
let solve: ((lpText: string) => { status: string; columns: Record<string, number> }) | undefined;
const predictiveTally = { programs: 0, accepted: 0 };

/** The predictive planner's HVAC plan in place of the rules' where the space has a program. */
function predictive(built: BuiltPlan, nowMs: number): SpacePlan {
  const lp = hvacProgram(built.input);
  if (!lp || !solve) return built.plan;
  predictiveTally.programs++;
  const result = predictivePlan(built.input, lp, solve(lp.lpText));
  // A refused program (a day beyond the slack cap) leaves the rules' plan, as the service does.
  if (!result.ok) return built.plan;
  predictiveTally.accepted++;
  return planSpace(built.input, nowMs, result.hvac);
}

/** The plan the control service builds for the case's space at its time. */
function planCase(c: Case, alignToSlot = false, usePredictive = false) {
  const setup = setupOf(c);
  const [space] = catalogue(setup);
  if (!space) throw new Error('no controllable space');
  const atMs = DAY0 + c.atMin * 60_000;
  const nowMs = alignToSlot ? atMs - (atMs % SLOT_MS) : atMs;
  const hourStart = nowMs - (nowMs % HOUR_MS);
  const view = (values: readonly number[]) => ({
    tsMs: values.map((_, i) => hourStart + i * HOUR_MS),
    values,
  });
  const built = buildSpacePlan(space, setup, nowMs, {
    sensors: sensorsOf(c, nowMs),
    forecasts: {
      occupancy: () => (c.occupancy ? view(c.occupancy) : undefined),
      outdoorTemperature: () =>
        c.outdoor
          ? view(
              c.outdoor.map((t) => (c.season === 'heat' ? t - 15 : c.season === 'cool' ? t + 27 : t * 3 - 5)),
            )
          : undefined,
    },
    ...(c.tariff ? { tariff: SHANGHAI_TOU_EXAMPLE } : {}),
    ...(c.rates ? { rates: c.rates } : {}),
    ...(c.fullOutputLux === undefined ? {} : { fullOutputLux: c.fullOutputLux }),
    ...(c.currentLevelPct === undefined ? {} : { currentLevelPct: c.currentLevelPct }),
    ...(c.occupied && c.occupiedForMin !== undefined
      ? { occupiedSinceMs: nowMs - c.occupiedForMin * 60_000 }
      : {}),
  });
  const plan = usePredictive ? predictive(built, nowMs) : built.plan;
  return { space, plan, nowMs };
}

/** Each value on its own, from a freshly commissioned device: bounds, minimums and resolution. */
function checkEachValue(c: Case, tally: Tally, usePredictive = false): void {
  const { space, plan, nowMs } = planCase(c, false, usePredictive);
  for (const d of space.devices)
    for (let i = 0; i < HORIZON_SLOTS; i++) {
      const t = i === 0 ? nowMs : plan.startMs + i * SLOT_MS;
      step(plan, d, commissioned(d.deviceId), t, tally);
    }
}

/** The dispatcher walking the plan slot by slot: rate limits, mode spacing and leases as well. */
function checkWalk(c: Case, tally: Tally, usePredictive = false): void {
  const { space, plan, nowMs } = planCase(c, true, usePredictive);
  for (const d of space.devices) {
    let record = commissioned(d.deviceId);
    for (let i = 0; i < HORIZON_SLOTS; i++) {
      const t = i === 0 ? nowMs : plan.startMs + i * SLOT_MS;
      record = step(plan, d, record, t, tally);
    }
  }
}

describe('the planner stays inside every limit, so the safety layer changes none of its values', () => {
  const each: Tally = { checked: 0, changed: 0 };
  const walk: Tally = { checked: 0, changed: 0 };
  afterAll(() => {
    // Reported for the record: how much the properties looked at, and which rules they reached.
    console.info(
      `planner vs safety: ${each.checked} values alone, ${walk.checked} values walked; changed ${each.changed} + ${walk.changed}; ${JSON.stringify(Object.fromEntries(reached))}`,
    );
    for (const key of [
      'lighting',
      'hvac:setpoint',
      'hvac:occupied',
      'hvac:setback',
      'hvac:optimal-start',
      'hvac:precondition',
      'hvac:off',
    ])
      expect(reached.get(key) ?? 0, key).toBeGreaterThan(0);
  });

  it('each planned value passes the bounds unchanged', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const t: Tally = { checked: 0, changed: 0 };
        checkEachValue(c, t);
        each.checked += t.checked;
        each.changed += t.changed;
        expect(t.changed, t.first).toBe(0);
      }),
      { numRuns: 200, seed: 1101 },
    );
    expect(each.checked).toBeGreaterThan(0);
  });

  it('walking the plan as the dispatcher does, safety changes nothing', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const t: Tally = { checked: 0, changed: 0 };
        checkWalk(c, t);
        walk.checked += t.checked;
        walk.changed += t.changed;
        expect(t.changed, t.first).toBe(0);
      }),
      { numRuns: 200, seed: 1102 },
    );
    expect(walk.checked).toBeGreaterThan(0);
  });
});

describe('the predictive planner stays inside every limit, so the safety layer changes none of its values', () => {
  const tally: Tally = { checked: 0, changed: 0 };
  beforeAll(async () => {
    solve = await solveInThread();
  });
  afterAll(() => {
    console.info(
      `predictive planner vs safety: ${tally.checked} values; changed ${tally.changed}; programs ${predictiveTally.programs}, accepted ${predictiveTally.accepted}`,
    );
  });

  it('each value alone and walked as the dispatcher does passes unchanged', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const t: Tally = { checked: 0, changed: 0 };
        checkEachValue(c, t, true);
        checkWalk(c, t, true);
        tally.checked += t.checked;
        tally.changed += t.changed;
        expect(t.changed, t.first).toBe(0);
      }),
      { numRuns: 150, seed: 1103 },
    );
    expect(tally.changed).toBe(0);
    // The property reached the program on a good share of its cases, not only the rules.
    expect(predictiveTally.accepted).toBeGreaterThan(30);
  });
});

describe('counterexamples the property found', () => {
  const base: Case = {
    type: 'lobby',
    comfort: undefined,
    typeComfort: undefined,
    typeLevels: undefined,
    dimming: 1,
    preStart: 0,
    hvacBlocks: [{ from: 0, len: 1, mode: 'cool', setpointC: 16 }],
    season: undefined,
    lightBlocks: [],
    lightDefault: 0,
    light: {},
    hvacs: [{}],
    idleW: [undefined, undefined],
    tariff: false,
    rates: undefined,
    occupancy: undefined,
    outdoor: undefined,
    outdoorNow: undefined,
    occupied: undefined,
    occupiedForMin: undefined,
    indoor: undefined,
    lux: undefined,
    fullOutputLux: undefined,
    currentLevelPct: undefined,
    atMin: 15,
  };
  const planned = (c: Case) => {
    const { plan } = planCase(c);
    const slot = plan.hvac[0]?.slots.find((s) => s.mode !== 'off');
    return { slot };
  };
  const tally0 = (): Tally => ({ checked: 0, changed: 0 });
  const changed = (c: Case) => {
    const t = tally0();
    checkEachValue(c, t);
    return t;
  };

  it('a comfort band above the cooling limits: the limit wins, not the band', () => {
    const c: Case = {
      ...base,
      typeComfort: {
        heatSetpointMinC: 14,
        heatSetpointMaxC: 14,
        coolSetpointMinC: 14.5,
        coolSetpointMaxC: 14.5,
        comfortLowC: 15,
        comfortHighC: 16,
      },
    };
    expect(planned(c).slot).toMatchObject({ mode: 'cool', setpointC: 14.5 });
    expect(changed(c)).toMatchObject({ changed: 0 });
  });

  it('device limits below the cooling limit: cooling stays at the limit, as safety bounds it', () => {
    const c: Case = { ...base, hvacs: [{ setpoints: [10, 10] }] };
    expect(planned(c).slot).toMatchObject({ mode: 'cool', setpointC: 26 });
    expect(changed(c)).toMatchObject({ changed: 0 });
  });

  it('device limits above the heating limit: heating stays at the limit, as safety bounds it', () => {
    const c: Case = {
      ...base,
      hvacBlocks: [{ from: 0, len: 1, mode: 'heat', setpointC: 16 }],
      typeComfort: {
        heatSetpointMinC: 14,
        heatSetpointMaxC: 14,
        coolSetpointMinC: 14.5,
        coolSetpointMaxC: 14.5,
        comfortLowC: 14,
        comfortHighC: 15,
      },
      hvacs: [{ setpoints: [14.5, 14.5] }],
    };
    expect(planned(c).slot).toMatchObject({ mode: 'heat', setpointC: 14 });
    expect(changed(c)).toMatchObject({ changed: 0 });
  });
});
