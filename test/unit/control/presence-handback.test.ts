import { describe, expect, it } from 'vitest';
import { initialRecord } from '../../../src/domain/safety/device-record.js';
import { catalogue } from '../../../src/services/control/catalogue.js';
import { occupancyDecisions } from '../../../src/services/control/decisions.js';
import type { DeviceRuntime } from '../../../src/services/control/dispatcher.js';
import { gymConfig } from './fakes.js';

/** 23:00 in Shanghai: the gym's schedule has its lights off. */
const LATE = Date.parse('2026-07-15T15:00:00Z');

const config = gymConfig();

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

  it('lets the presence hold run out while the sensor keeps reporting vacancy', () => {
    const [space] = catalogue({
      sites: config.sites,
      schedules: config.schedules,
      control: config.control,
      prefix: 'qw',
    });
    const device = space?.devices[0];
    if (!device) throw new Error('no device');
    const rt: DeviceRuntime = { device, record: initialRecord('gym-lights'), queue: Promise.resolve() };
    let { presence } = occupancyDecisions(
      [rt],
      'gym',
      'plan-1',
      undefined,
      { occupied: true, tsMs: LATE },
      LATE,
      config.control,
    );
    const heldUntil = presence?.untilMs ?? 0;
    expect(heldUntil).toBeGreaterThan(LATE);
    // A sensor that repeats its state every minute: vacancy for the next hour.
    for (let t = LATE + 60_000; t <= LATE + 3_600_000; t += 60_000) {
      presence = occupancyDecisions(
        [rt],
        'gym',
        'plan-1',
        presence,
        { occupied: false, tsMs: t },
        t,
        config.control,
      ).presence;
      expect(presence?.untilMs ?? 0).toBe(heldUntil);
    }
  });
});
