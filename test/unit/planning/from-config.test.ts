import { describe, expect, it } from 'vitest';
import { ControlConfig } from '../../../src/config/schema/control.js';
import { ScheduleConfig } from '../../../src/config/schema/schedule.js';
import { SpaceConfig } from '../../../src/config/schema/site.js';
import { hvacTuning } from '../../../src/domain/planning/hvac-targets.js';
import {
  planInputFromConfig,
  plannedValueAt,
  planSpace,
  SLOT_MS,
  slotPrices,
} from '../../../src/domain/planning/index.js';
import { SHANGHAI_TOU_EXAMPLE } from '../../../src/domain/tariff/presets.js';
import { coolSchedule, fill, hvacInput, planInput, SLOTS } from './fixtures.js';

// 2026-07-01 00:00 in Shanghai (UTC+8).
const START = Date.UTC(2026, 5, 30, 16, 0, 0);

const space = SpaceConfig.parse({
  id: 'lobby-b3',
  type: 'lobby',
  areaM2: 120,
  devices: [
    {
      id: 'lobby-lights',
      kind: 'lighting',
      ratedPowerW: 600,
      schedule: 'lobby-lighting',
      limits: { maxLevelPct: 90 },
    },
    { id: 'lobby-ac', kind: 'hvac', ratedPowerW: 3000, schedule: 'lobby-hvac', limits: { minSetpointC: 18 } },
    { id: 'lobby-emergency', kind: 'emergency-lighting', ratedPowerW: 50 },
  ],
});
const schedules = [
  ScheduleConfig.parse({ id: 'lobby-lighting', kind: 'lighting', defaultLevelPct: 100 }),
  ScheduleConfig.parse({
    id: 'lobby-hvac',
    kind: 'hvac',
    blocks: [{ months: [6, 7, 8, 9], from: '07:00', to: '22:00', mode: 'cool', setpointC: 26 }],
  }),
];

describe('planInputFromConfig', () => {
  const input = planInputFromConfig({
    space,
    schedules,
    control: ControlConfig.parse({}),
    timeZone: 'Asia/Shanghai',
    startMs: START,
    occupancyProbability: fill(SLOTS, (i) => (i >= 28 && i < 88 ? 0.8 : 0)),
    outdoorTempC: fill(SLOTS, () => 31),
    pricePerKWh: fill(SLOTS, () => 0.6),
    sensors: { indoorTempC: 30 },
  });

  it('maps the space type levels, device limits and the schedule in local time', () => {
    expect(input.lighting?.levels).toEqual({ safetyMinLevelPct: 0, occupiedLevelPct: 80 });
    expect(input.lighting?.tuning?.decreasePctPerMinute).toBe(10);
    expect(input.lighting?.devices).toEqual([
      { deviceId: 'lobby-lights', ratedPowerW: 600, maxLevelPct: 90 },
    ]);
    expect(input.hvac?.devices).toEqual([
      { deviceId: 'lobby-ac', ratedPowerW: 3000, minSetpointC: 18, setpointStepC: 0.5 },
    ]);
    expect(input.hvac?.comfort.coolSetpointMinC).toBe(26);
    // 07:00 local is slot 28.
    expect(input.hvac?.schedule[27]).toEqual({ mode: 'off' });
    expect(input.hvac?.schedule[28]).toEqual({ mode: 'cool', setpointC: 26 });
    expect(input.hvac?.schedule[88]).toEqual({ mode: 'off' });
  });

  it("counts each unit's own idle draw where its config gives one, a tenth of its rating where not", () => {
    const withIdle = SpaceConfig.parse({
      ...space,
      devices: [
        { id: 'ac-a', kind: 'hvac', ratedPowerW: 3000, schedule: 'lobby-hvac', idlePowerW: 60 },
        { id: 'ac-b', kind: 'hvac', ratedPowerW: 1000, schedule: 'lobby-hvac' },
      ],
    });
    const hvac = planInputFromConfig({
      space: withIdle,
      schedules,
      control: ControlConfig.parse({}),
      timeZone: 'Asia/Shanghai',
      startMs: START,
      occupancyProbability: fill(SLOTS, () => 0),
      outdoorTempC: fill(SLOTS, () => 31),
      pricePerKWh: fill(SLOTS, () => 0.6),
      sensors: {},
    }).hvac;
    if (!hvac) throw new Error('no hvac');
    expect(hvac.devices.map((d) => d.idlePowerW)).toEqual([60, undefined]);
    // (60 + 100) W of 4000 W rated.
    expect(hvacTuning(hvac).fanShare).toBeCloseTo(0.04, 10);
    expect(hvacTuning({ ...hvac, devices: [] }).fanShare).toBe(0.1);
  });

  it('never passes life-safety equipment to the planner', () => {
    const plan = planSpace(input, START);
    const ids = [...plan.lighting, ...plan.hvac].map((d) => d.deviceId);
    expect(ids).toEqual(['lobby-lights', 'lobby-ac']);
  });

  it('gives contract values per device and slot', () => {
    const plan = planSpace(input, START);
    const at10 = plannedValueAt(plan, 'lobby-ac', START + 40 * SLOT_MS + 60_000);
    expect(at10?.value).toEqual({ kind: 'hvac', mode: 'cool', setpointC: 26 });
    expect(at10?.fromMs).toBe(START + 40 * SLOT_MS);
    expect(plannedValueAt(plan, 'lobby-lights', START + 40 * SLOT_MS)?.value).toEqual({
      kind: 'lighting',
      levelPct: 80,
    });
    expect(plannedValueAt(plan, 'lobby-emergency', START)).toBeUndefined();
    expect(plannedValueAt(plan, 'lobby-ac', START - 1)).toBeUndefined();
    expect(plannedValueAt(plan, 'lobby-ac', START + SLOTS * SLOT_MS)).toBeUndefined();
  });
});

describe('schedules the planner leaves alone', () => {
  it('plans no HVAC when the schedule uses auto or fan, or both cool and heat', () => {
    const auto = coolSchedule(30, 80).map((s) =>
      s.mode === 'cool' ? { mode: 'auto' as const, setpointC: 24 } : s,
    );
    const mixed = fill(SLOTS, (i) =>
      i < 40 ? { mode: 'heat' as const, setpointC: 20 } : { mode: 'cool' as const, setpointC: 26 },
    );
    for (const schedule of [auto, mixed]) {
      const plan = planSpace(planInput({ hvac: hvacInput({ schedule }) }), START);
      expect(plan.hvac).toEqual([]);
      expect(plan.hvacMode).toBeNull();
    }
  });
});

describe('slotPrices', () => {
  it('prices each slot by the local-time tariff period', () => {
    // 2026-07-01 00:00 Shanghai: valley to 06:00, flat 06-08, peak 08-12, critical 12-14.
    const p = slotPrices(SHANGHAI_TOU_EXAMPLE, START, 'Asia/Shanghai');
    expect(p).toHaveLength(SLOTS);
    expect(p[0]).toBe(0.31);
    expect(p[23]).toBe(0.31);
    expect(p[24]).toBe(0.65);
    expect(p[32]).toBe(1.05);
    expect(p[48]).toBe(1.26);
  });
});
