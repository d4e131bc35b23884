import { describe, expect, it } from 'vitest';
import { ControlConfig, DeviceOutputOptions } from '../../../src/config/schema/control.js';
import { DeviceConfig } from '../../../src/config/schema/device.js';
import { ScheduleConfig } from '../../../src/config/schema/schedule.js';
import { SpaceConfig } from '../../../src/config/schema/site.js';
import {
  planInputFromConfig,
  plannedValueAt,
  planSpace,
  SLOT_MS,
  slotPrices,
} from '../../../src/domain/planning/index.js';
import { boundValue } from '../../../src/domain/safety/bounds.js';
import type { OutputTarget } from '../../../src/domain/setpoints/encoded.js';
import { SHANGHAI_TOU_EXAMPLE } from '../../../src/domain/tariff/presets.js';
import { fill, SLOTS } from './fixtures.js';

/**
 * The safety layer is a second line, not a corrector: whatever the planner plans is already inside
 * the bounds the safety layer applies (device limits, space-type minimums, comfort limits, native
 * resolution), so it passes through unchanged.
 */
const START = Date.UTC(2026, 5, 30, 16, 0, 0); // 2026-07-01 00:00 Shanghai
const control = ControlConfig.parse({});
const schedules = [
  ScheduleConfig.parse({ id: 'l', kind: 'lighting', defaultLevelPct: 100 }),
  ScheduleConfig.parse({
    id: 'h',
    kind: 'hvac',
    blocks: [{ from: '07:00', to: '22:00', mode: 'cool', setpointC: 26 }],
  }),
];

function target(deviceId: string, kind: 'lighting' | 'hvac'): OutputTarget {
  return {
    address: { site: 'site', space: 'sp', device: deviceId },
    kind,
    output: 'native',
    options: DeviceOutputOptions.parse({}),
    prefix: 'quietwatt',
  };
}

describe('planner and safety layer agree', () => {
  for (const type of ['garage', 'corridor', 'lobby', 'gym'] as const) {
    it(`planned values of a ${type} pass the safety bounds unchanged`, () => {
      const devices = [
        DeviceConfig.parse({ id: 'lights', kind: 'lighting', ratedPowerW: 500, schedule: 'l' }),
        DeviceConfig.parse({
          id: 'ac',
          kind: 'hvac',
          ratedPowerW: 3000,
          schedule: 'h',
          limits: { minSetpointC: 18 },
        }),
      ];
      const space = SpaceConfig.parse({ id: 'sp', type, areaM2: 100, devices });
      const input = planInputFromConfig({
        space,
        schedules,
        control,
        timeZone: 'Asia/Shanghai',
        startMs: START,
        occupancyProbability: fill(SLOTS, (i) => [0.9, 0.3, 0.05, 0][i % 4] ?? 0),
        outdoorTempC: fill(SLOTS, (i) => 29 + 5 * Math.sin((i / SLOTS) * 2 * Math.PI)),
        pricePerKWh: slotPrices(SHANGHAI_TOU_EXAMPLE, START, 'Asia/Shanghai'),
        sensors: { indoorTempC: 30.3, illuminanceLux: 260, illuminanceTsMs: START },
        currentLevelPct: 37,
        fullOutputLux: 300,
      });
      const plan = planSpace(input, START);
      expect(plan.hvac).toHaveLength(1);
      for (const device of devices) {
        for (let i = 0; i < SLOTS; i++) {
          const planned = plannedValueAt(plan, device.id, START + i * SLOT_MS);
          if (!planned) throw new Error(`no value for ${device.id} at slot ${i}`);
          const bounded = boundValue(
            planned.value,
            target(device.id, device.kind as 'lighting' | 'hvac'),
            device,
            type,
            control,
          );
          expect(bounded).toEqual(planned.value);
        }
      }
    });
  }
});
