import type { SiteConfig } from '../../config/schema/site.js';
import type { EndUse, SpaceType } from '../../domain/energy.js';

/** A metered space as the forecasting and savings services see it. */
export interface MeteredSpace {
  readonly siteId: string;
  readonly spaceId: string;
  readonly spaceType: SpaceType;
  readonly timeZone: string;
  /** Meter ids per end use measured in the space. */
  readonly endUses: ReadonlyMap<EndUse, readonly string[]>;
  readonly meterIds: readonly string[];
  readonly hasOccupancySensor: boolean;
}

export function meteredSpaces(sites: readonly SiteConfig[]): MeteredSpace[] {
  const out: MeteredSpace[] = [];
  for (const site of sites) {
    for (const space of site.spaces) {
      const endUses = new Map<EndUse, string[]>();
      for (const m of space.meters) endUses.set(m.measures, [...(endUses.get(m.measures) ?? []), m.id]);
      out.push({
        siteId: site.id,
        spaceId: space.id,
        spaceType: space.type,
        timeZone: site.timezone,
        endUses,
        meterIds: space.meters.map((m) => m.id),
        hasOccupancySensor: space.sensors.some((s) => s.kind === 'occupancy'),
      });
    }
  }
  return out;
}

export const seriesKey = (siteId: string, spaceId: string, endUse: string): string =>
  `${siteId}/${spaceId}/${endUse}`;
export const spaceKey = (siteId: string, spaceId: string): string => `${siteId}/${spaceId}`;
