import { ControlConfig } from '../../../src/config/schema/control.js';
import { DeviceConfig } from '../../../src/config/schema/device.js';
import { ScheduleConfig } from '../../../src/config/schema/schedule.js';
import type { SpaceType } from '../../../src/domain/energy.js';
import type { SafetyContext } from '../../../src/domain/safety/index.js';

export const SCHEDULES = [
  ScheduleConfig.parse({
    id: 'corridor-lights',
    kind: 'lighting',
    defaultLevelPct: 30,
    blocks: [
      { from: '06:00', to: '23:00', levelPct: 100 },
      { days: ['sat'], from: '23:00', to: '02:00', levelPct: 60 },
    ],
  }),
  ScheduleConfig.parse({
    id: 'lobby-ac',
    kind: 'hvac',
    blocks: [
      { months: [6, 7, 8, 9], from: '07:00', to: '22:00', mode: 'cool', setpointC: 24 },
      { months: [12, 1, 2], from: '07:00', to: '22:00', mode: 'heat', setpointC: 22 },
    ],
  }),
];

export function control(overrides: object = {}): ControlConfig {
  return ControlConfig.parse({ defaultMode: 'active', requireCommissioning: false, ...overrides });
}

export function ctx(device: object, opts: { type?: SpaceType; control?: ControlConfig } = {}): SafetyContext {
  return {
    siteId: 'maple',
    spaceId: 'space1',
    spaceType: opts.type ?? 'lobby',
    timezone: 'Asia/Shanghai',
    device: DeviceConfig.parse({ id: 'dev1', ratedPowerW: 500, ...device }),
    control: opts.control ?? control(),
    schedules: SCHEDULES,
    prefix: 'quietwatt',
  };
}
