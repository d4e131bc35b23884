import { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { EndUse } from '../../../src/domain/energy.js';
import type { IntervalStore } from '../../../src/ports/stores.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-03-02 00:00 Asia/Shanghai. */
export const T0 = Date.UTC(2026, 2, 1, 16);

/** One site (Shanghai) with a gym (lighting meter, occupancy sensor) and a corridor (lighting + hvac). */
export function testConfig(extra: Record<string, unknown> = {}): QuietWattConfig {
  return QuietWattConfig.parse({
    sites: [
      {
        id: 'site-a',
        name: 'Site A',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'gym',
            type: 'gym',
            areaM2: 120,
            meters: [{ id: 'gym-light', topic: 'm/gym-light', measures: 'lighting' }],
            sensors: [{ id: 'gym-pir', topic: 's/gym-pir', kind: 'occupancy' }],
          },
          {
            id: 'corridor',
            type: 'corridor',
            areaM2: 80,
            meters: [
              { id: 'cor-light', topic: 'm/cor-light', measures: 'lighting' },
              { id: 'cor-hvac', topic: 'm/cor-hvac', measures: 'hvac' },
            ],
          },
        ],
      },
    ],
    ...extra,
  });
}

/** Local hour of day in Shanghai (UTC+8, no DST). */
export const shanghaiHour = (tMs: number): number => new Date(tMs + 8 * HOUR).getUTCHours();

/** A weekly-patterned load: busy 8:00-20:00 local, quiet otherwise. */
export function load(tMs: number, busyKWh = 4, quietKWh = 1): number {
  const h = shanghaiHour(tMs);
  return h >= 8 && h < 20 ? busyKWh : quietKWh;
}

export function writeHours(
  store: IntervalStore,
  meter: { meterId: string; spaceId: string; endUse: EndUse; siteId?: string },
  fromMs: number,
  toMs: number,
  kWh: (tMs: number) => number = (t) => load(t),
): void {
  const rows = [];
  for (let t = fromMs; t < toMs; t += HOUR) {
    rows.push({
      meterId: meter.meterId,
      siteId: meter.siteId ?? 'site-a',
      spaceId: meter.spaceId,
      endUse: meter.endUse,
      minutes: 60 as const,
      startMs: t,
      energyKWh: kWh(t),
      coverage: 1,
      missing: false,
    });
  }
  store.addIntervals(rows);
}

export function writeAll(store: IntervalStore, fromMs: number, toMs: number): void {
  writeHours(store, { meterId: 'gym-light', spaceId: 'gym', endUse: 'lighting' }, fromMs, toMs);
  writeHours(store, { meterId: 'cor-light', spaceId: 'corridor', endUse: 'lighting' }, fromMs, toMs, (t) =>
    load(t, 2, 0.5),
  );
  writeHours(store, { meterId: 'cor-hvac', spaceId: 'corridor', endUse: 'hvac' }, fromMs, toMs, (t) =>
    load(t, 6, 1),
  );
}
