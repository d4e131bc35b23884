import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SetpointPayload } from '../../../src/domain/setpoints/contract.js';
import type { SensorFreshnessView, SensorValueView } from '../../../src/ports/control-inputs.js';
import { FakeSensors, GYM_OCCUPANCY_SENSOR, gymConfig, MINUTE, rig } from './fakes.js';

const GYM_SET = 'quietwatt/site/gym/gym-lights/set';
/** 13:31 in Shanghai: someone enters the gym, and the gym is never empty again until after 01:31. */
const ENTERED_MS = Date.parse('2026-07-15T05:31:00Z');
const STALE_AFTER_MINUTES = 720;

const gym = gymConfig();

/** A door counter that reports only on change, judged stale by silence as the sensor service does. */
class ChangeOnlySensors extends FakeSensors {
  constructor(private readonly clock: ManualClock) {
    super();
  }

  override latest(siteId: string, spaceId: string | null, kind: 'occupancy'): SensorValueView | undefined {
    const v = super.latest(siteId, spaceId, kind);
    if (!v) return v;
    return { ...v, stale: this.clock.now() - v.tsMs > STALE_AFTER_MINUTES * MINUTE };
  }

  override freshness(): SensorFreshnessView[] {
    const v = super.latest('site', 'gym', 'occupancy');
    return [
      {
        id: GYM_OCCUPANCY_SENSOR,
        siteId: 'site',
        spaceId: 'gym',
        kind: 'occupancy',
        staleAfterMinutes: STALE_AFTER_MINUTES,
        ...(v ? { lastSeenMs: v.tsMs } : {}),
      },
    ];
  }
}

const levelOf = (payload: string): number | undefined => {
  if (payload === '') return undefined;
  const v = SetpointPayload.parse(JSON.parse(payload)).value;
  return 'levelPct' in v ? v.levelPct : undefined;
};

describe('presence holds the lights while the occupancy sensor says occupied', () => {
  it('keeps the occupied level after closing time when a change-only sensor has said occupied for 12 h', async () => {
    const clock = new ManualClock(ENTERED_MS - MINUTE);
    const sensors = new ChangeOnlySensors(clock);
    const setup = { sites: gym.sites, schedules: gym.schedules, control: gym.control, prefix: 'quietwatt' };
    const r = rig({}, { clock, deps: { setup, sensors } });
    await r.service.start();
    await r.advance(MINUTE);
    sensors.emit('site', 'gym', true, clock.now());
    // 13:32 -> 02:30 local, one tick a minute: the schedule switches the lights off at 22:00 and the
    // sensor, silent since 13:31, passes its staleness threshold at 01:31.
    const low: string[] = [];
    for (let t = 0; t < 13 * 60; t++) {
      await r.advance(MINUTE);
      const last = r.bus.on(GYM_SET).at(-1);
      const level = last ? levelOf(last.payload) : undefined;
      if (level === undefined || level < 90) low.push(new Date(clock.now()).toISOString());
    }
    expect(low).toEqual([]);
    await r.service.stop();
  });
});
