import fc from 'fast-check';
import { ControlConfig } from '../../../src/config/schema/control.js';
import { DeviceConfig } from '../../../src/config/schema/device.js';
import { ScheduleConfig } from '../../../src/config/schema/schedule.js';
import { SPACE_MODES } from '../../../src/domain/control/space-mode.js';
import { DEVICE_KINDS } from '../../../src/domain/devices/kinds.js';
import { SPACE_TYPES } from '../../../src/domain/energy.js';
import type { SafetyContext } from '../../../src/domain/safety/index.js';
import type { SetpointValue } from '../../../src/domain/setpoints/index.js';

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const block = fc
  .tuple(hhmm, hhmm)
  .filter(([a, b]) => a !== b)
  .map(([from, to]) => ({ from, to }));

export const lightingSchedule = fc
  .record({
    defaultLevelPct: fc.integer({ min: 0, max: 100 }),
    blocks: fc.array(fc.tuple(block, fc.integer({ min: 0, max: 100 })), { maxLength: 3 }),
  })
  .map((s) =>
    ScheduleConfig.parse({
      id: 'lights',
      kind: 'lighting',
      defaultLevelPct: s.defaultLevelPct,
      blocks: s.blocks.map(([b, levelPct]) => ({ ...b, levelPct })),
    }),
  );

export const hvacSchedule = fc
  .array(
    fc.tuple(block, fc.constantFrom('off', 'cool', 'heat', 'fan', 'auto'), fc.integer({ min: 10, max: 70 })),
    { maxLength: 3 },
  )
  .map((blocks) =>
    ScheduleConfig.parse({
      id: 'hvac',
      kind: 'hvac',
      blocks: blocks.map(([b, mode, half]) => ({ ...b, mode, setpointC: half / 2 })),
    }),
  );

const orderedPair = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);

export const deviceConfig = fc
  .record({
    kind: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...DEVICE_KINDS) },
      { weight: 4, arbitrary: fc.constantFrom('lighting', 'hvac') },
    ),
    output: fc.constantFrom('native', 'zigbee2mqtt', 'tasmota', 'home-assistant'),
    levels: fc.option(orderedPair(0, 100), { nil: undefined }),
    setpoints: fc.option(orderedPair(10, 70), { nil: undefined }),
    schedule: fc.boolean(),
    fallbackLevel: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    tasmotaChannel: fc.constantFrom('dimmer', 'relay'),
    tasmotaSafetyTimer: fc.boolean(),
    haBrightnessScale: fc.constantFrom(100, 255, 1000),
    levelStepPct: fc.constantFrom(0.5, 1, 5),
    setpointStepC: fc.constantFrom(0.1, 0.5, 1),
  })
  .map((d) => {
    const controllable = d.kind === 'lighting' || d.kind === 'hvac';
    // Mostly formats that can carry HVAC, sometimes one that cannot (nothing must be sent then).
    const output =
      d.kind === 'hvac' && d.output !== 'home-assistant' && d.levelStepPct !== 5 ? 'native' : d.output;
    return DeviceConfig.parse({
      id: 'dev1',
      kind: d.kind,
      ratedPowerW: 500,
      output,
      ...(controllable && d.schedule ? { schedule: d.kind === 'lighting' ? 'lights' : 'hvac' } : {}),
      ...(d.kind === 'lighting' && d.fallbackLevel !== undefined
        ? { fallback: { levelPct: d.fallbackLevel } }
        : {}),
      limits: {
        ...(d.levels ? { minLevelPct: d.levels[0], maxLevelPct: d.levels[1] } : {}),
        ...(d.setpoints
          ? { minSetpointC: (d.setpoints[0] ?? 10) / 2, maxSetpointC: (d.setpoints[1] ?? 70) / 2 }
          : {}),
      },
      outputOptions: {
        tasmotaChannel: d.tasmotaChannel,
        tasmotaSafetyTimer: d.tasmotaSafetyTimer,
        haBrightnessScale: d.haBrightnessScale,
        levelStepPct: d.levelStepPct,
        setpointStepC: d.setpointStepC,
      },
    });
  });

/** Comfort limits: heating range entirely below the cooling range, as the config requires. */
const comfort = fc
  .tuple(fc.integer({ min: 10, max: 24 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 8 }))
  .chain(([heatMax, heatSpan, gap]) =>
    fc.integer({ min: 0, max: 8 }).map((coolSpan) => ({
      heatSetpointMinC: Math.max(5, heatMax - heatSpan),
      heatSetpointMaxC: heatMax,
      coolSetpointMinC: heatMax + gap,
      coolSetpointMaxC: Math.min(35, heatMax + gap + coolSpan),
    })),
  );

export const controlConfig = fc
  .record({
    defaultMode: fc.constantFrom(...SPACE_MODES, 'active', 'active'),
    requireCommissioning: fc.constantFrom(false, false, true),
    comfort: fc.option(comfort, { nil: undefined }),
    garageMin: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    leaseMaxMinutes: fc.integer({ min: 1, max: 60 }),
    lightingDecreasePctPerMinute: fc.integer({ min: 1, max: 50 }),
    hvacSetpointChangeCPerMinute: fc.constantFrom(0.1, 0.5, 2),
    hvacMinModeChangeMinutes: fc.integer({ min: 0, max: 30 }),
    overrideHoldMinutes: fc.integer({ min: 0, max: 180 }),
  })
  .map((c) =>
    ControlConfig.parse({
      defaultMode: c.defaultMode,
      requireCommissioning: c.requireCommissioning,
      ...(c.comfort ? { comfort: c.comfort } : {}),
      ...(c.garageMin === undefined ? {} : { spaceTypes: { garage: { safetyMinLevelPct: c.garageMin } } }),
      leaseMaxMinutes: c.leaseMaxMinutes,
      lightingDecreasePctPerMinute: c.lightingDecreasePctPerMinute,
      hvacSetpointChangeCPerMinute: c.hvacSetpointChangeCPerMinute,
      hvacMinModeChangeMinutes: c.hvacMinModeChangeMinutes,
      overrideHoldMinutes: c.overrideHoldMinutes,
    }),
  );

export const safetyContext: fc.Arbitrary<SafetyContext> = fc
  .record({
    device: deviceConfig,
    control: controlConfig,
    spaceType: fc.constantFrom(...SPACE_TYPES),
    lights: lightingSchedule,
    hvac: hvacSchedule,
    timezone: fc.constantFrom('Asia/Shanghai', 'Asia/Urumqi', 'UTC'),
  })
  .map((r) => ({
    siteId: 'maple',
    spaceId: 'space1',
    spaceType: r.spaceType,
    timezone: r.timezone,
    device: r.device,
    control: r.control,
    schedules: [r.lights, r.hvac],
    prefix: 'quietwatt',
  }));

/** Any value a planner might ask for, including absurd ones, of either kind. */
export const anyValue: fc.Arbitrary<SetpointValue> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .double({ min: 0, max: 100, noNaN: true })
      .map((levelPct) => ({ kind: 'lighting' as const, levelPct })),
  },
  fc.constant({ kind: 'hvac' as const, mode: 'off' as const }),
  fc.constant({ kind: 'hvac' as const, mode: 'fan' as const, fan: 'low' as const }),
  fc
    .tuple(fc.constantFrom('cool' as const, 'heat' as const), fc.double({ min: 5, max: 35, noNaN: true }))
    .map(([mode, setpointC]) => ({ kind: 'hvac' as const, mode, setpointC })),
  fc
    .tuple(fc.double({ min: 5, max: 19, noNaN: true }), fc.double({ min: 20, max: 35, noNaN: true }))
    .map(([heatSetpointC, coolSetpointC]) => ({
      kind: 'hvac' as const,
      mode: 'auto' as const,
      heatSetpointC,
      coolSetpointC,
    })),
);

export type SimEvent =
  | {
      readonly type: 'plan' | 'occupancy';
      readonly dtS: number;
      readonly value: SetpointValue;
      readonly validMin: number;
    }
  | { readonly type: 'tick'; readonly dtS: number }
  | { readonly type: 'report'; readonly dtS: number; readonly override: boolean; readonly ack: boolean }
  | { readonly type: 'fire' | 'release' | 'stale'; readonly dtS: number; readonly on: boolean }
  | { readonly type: 'mode'; readonly dtS: number; readonly mode: (typeof SPACE_MODES)[number] }
  | { readonly type: 'commission'; readonly dtS: number; readonly passed: boolean };

const dtS = fc.integer({ min: 0, max: 1800 });
export const simEvent: fc.Arbitrary<SimEvent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constantFrom('plan' as const, 'occupancy' as const),
      dtS,
      value: anyValue,
      validMin: fc.integer({ min: -5, max: 240 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('tick' as const), dtS }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('report' as const),
      dtS,
      override: fc.boolean(),
      ack: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constantFrom('fire' as const, 'release' as const, 'stale' as const),
      dtS,
      on: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('mode' as const), dtS, mode: fc.constantFrom(...SPACE_MODES) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('commission' as const), dtS, passed: fc.boolean() }),
  },
);

export const startMs = fc.integer({
  min: Date.parse('2026-01-01T00:00:00Z'),
  max: Date.parse('2026-12-31T00:00:00Z'),
});
