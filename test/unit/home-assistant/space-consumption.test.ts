import { describe, expect, it } from 'vitest';
import type { EndUse } from '../../../src/domain/energy.js';
import { SpaceConsumption } from '../../../src/services/integrations/home-assistant/space-consumption.js';
import { MemoryIntervalStore } from '../../helpers/fakes/index.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-07-01T00:00:00Z');

function hour(store: MemoryIntervalStore, meterId: string, endUse: EndUse, startMs: number, kWh: number) {
  store.addIntervals([
    {
      meterId,
      siteId: 'site',
      spaceId: 'lobby',
      endUse,
      minutes: 60,
      startMs,
      energyKWh: kWh,
      coverage: 1,
      missing: false,
    },
  ]);
}

describe('a space consumption to date', () => {
  it('is unknown before the first interval, then adds every end use', () => {
    const store = new MemoryIntervalStore();
    const c = new SpaceConsumption(store);
    const space = {
      siteId: 'site',
      spaceId: 'lobby',
      meters: [{ measures: 'lighting' as const }, { measures: 'hvac' as const }],
    };
    expect(c.totalKWh(space, T0)).toBeUndefined();
    hour(store, 'l', 'lighting', T0, 1.5);
    hour(store, 'h', 'hvac', T0, 2);
    expect(c.totalKWh(space, T0 + HOUR)).toBeCloseTo(3.5);
  });

  it('counts a total meter alone, since it holds the other end uses', () => {
    const store = new MemoryIntervalStore();
    hour(store, 't', 'total', T0, 5);
    hour(store, 'l', 'lighting', T0, 2);
    const c = new SpaceConsumption(store);
    const space = {
      siteId: 'site',
      spaceId: 'lobby',
      meters: [{ measures: 'total' as const }, { measures: 'lighting' as const }],
    };
    expect(c.totalKWh(space, T0 + HOUR)).toBeCloseTo(5);
  });

  it('sums settled days once, keeps adding recent hours, and never goes down', () => {
    const store = new MemoryIntervalStore();
    const c = new SpaceConsumption(store);
    const space = { siteId: 'site', spaceId: 'lobby', meters: [{ measures: 'lighting' as const }] };
    for (let h = 0; h < 24 * 5; h++) hour(store, 'l', 'lighting', T0 + h * HOUR, 1);
    const now = T0 + 24 * 5 * HOUR;
    expect(c.totalKWh(space, now)).toBeCloseTo(120);
    hour(store, 'l', 'lighting', now, 0.5);
    expect(c.totalKWh(space, now + HOUR / 2)).toBeCloseTo(120.5);
    // A space that now counts fewer meters would fall: the figure holds instead.
    const fewer = { ...space, meters: [{ measures: 'total' as const }] };
    expect(c.totalKWh(fewer, now + HOUR)).toBeCloseTo(120.5);
  });

  it('ignores a space of the same id in another site', () => {
    const store = new MemoryIntervalStore();
    hour(store, 'l', 'lighting', T0, 1);
    const c = new SpaceConsumption(store);
    expect(
      c.totalKWh({ siteId: 'other', spaceId: 'lobby', meters: [{ measures: 'lighting' }] }, T0 + HOUR),
    ).toBeUndefined();
  });
});
