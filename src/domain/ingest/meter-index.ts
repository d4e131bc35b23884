import type { MeterConfig } from '../../config/schema/meter.js';
import type { SiteConfig } from '../../config/schema/site.js';
import type { MeterRef } from './interval-rows.js';
import type { SeriesRules } from './span.js';

/** A configured meter with where it sits and the rules its readings follow. */
export interface MeterBinding {
  readonly meter: MeterConfig;
  readonly ref: MeterRef;
  /** Zone of timestamps without an offset: the meter's, else the site's. */
  readonly timezone: string;
  readonly rules: SeriesRules;
  /** `siteId/spaceId`, the key of the space's latest reading time, made once here, not per message. */
  readonly spaceKey: string;
}

/** Meter bindings by topic (a topic may carry several meters, e.g. one payload read two ways). */
export type MeterIndex = ReadonlyMap<string, readonly MeterBinding[]>;

export const DEFAULT_WINDOW_SIZE = 96;

export function seriesRules(meter: MeterConfig, windowSize = DEFAULT_WINDOW_SIZE): SeriesRules {
  return {
    kind: meter.value,
    maxGapMs: meter.maxGapMinutes * 60_000,
    maxPowerW: meter.maxPowerW,
    windowSize,
    ...(meter.rolloverKWh !== undefined ? { rolloverKWh: meter.rolloverKWh } : {}),
  };
}

export function buildMeterIndex(sites: readonly SiteConfig[], windowSize = DEFAULT_WINDOW_SIZE): MeterIndex {
  const index = new Map<string, MeterBinding[]>();
  for (const site of sites) {
    for (const space of site.spaces) {
      const spaceKey = `${site.id}/${space.id}`;
      for (const meter of space.meters) {
        const binding: MeterBinding = {
          meter,
          ref: { meterId: meter.id, siteId: site.id, spaceId: space.id, endUse: meter.measures },
          timezone: meter.timezone ?? site.timezone,
          rules: seriesRules(meter, windowSize),
          spaceKey,
        };
        const list = index.get(meter.topic) ?? [];
        list.push(binding);
        index.set(meter.topic, list);
      }
    }
  }
  return index;
}
