import { describe, expect, it } from 'vitest';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { initialRecord } from '../../../src/domain/safety/device-record.js';
import { catalogue } from '../../../src/services/control/catalogue.js';
import { occupancyDecisions } from '../../../src/services/control/decisions.js';
import type { DeviceRuntime } from '../../../src/services/control/dispatcher.js';

/** 23:00 in Shanghai: the gym's schedule has its lights off. */
const LATE = Date.parse('2026-07-15T15:00:00Z');

const config = QuietWattConfig.parse({
  control: { defaultMode: 'active', requireCommissioning: false },
  schedules: [
    {
      id: 'gym-lighting',
      kind: 'lighting',
      defaultLevelPct: 0,
      blocks: [{ from: '06:00', to: '22:00', levelPct: 100 }],
    },
  ],
  sites: [
    {
      id: 'site',
      name: 'Site',
      timezone: 'Asia/Shanghai',
      spaces: [
        {
          id: 'gym',
          type: 'gym',
          areaM2: 100,
          meters: [{ id: 'gym-meter', topic: 'm/gym', measures: 'lighting' }],
          sensors: [{ id: 'gym-motion', kind: 'occupancy', topic: 's/gym' }],
          devices: [{ id: 'gym-lights', kind: 'lighting', schedule: 'gym-lighting', ratedPowerW: 900 }],
        },
      ],
    },
  ],
});

describe('presence after a hand-back', () => {
  it('raises lights that were handed back while their schedule was on and are now off by it', () => {
    const [space] = catalogue({
      sites: config.sites,
      schedules: config.schedules,
      control: config.control,
      prefix: 'qw',
    });
    const device = space?.devices[0];
    if (!device) throw new Error('no device');
    // Handed back at 21:00 with the schedule's 100 %; by 23:00 the schedule has them off.
    const rt: DeviceRuntime = {
      device,
      record: {
        ...initialRecord('gym-lights'),
        handedBack: true,
        lastValue: { kind: 'lighting', levelPct: 100 },
      },
      queue: Promise.resolve(),
    };
    const { raises } = occupancyDecisions(
      [rt],
      'gym',
      'plan-1',
      undefined,
      { occupied: true, tsMs: LATE },
      LATE,
      config.control,
    );
    expect(raises).toHaveLength(1);
    expect(raises[0]?.[1].value).toMatchObject({ kind: 'lighting', levelPct: expect.any(Number) });
    const v = raises[0]?.[1].value;
    expect(v?.kind === 'lighting' ? v.levelPct : 0).toBeGreaterThan(0);
  });
});
