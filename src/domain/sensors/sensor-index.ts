import type { SiteConfig } from '../../config/schema/site.js';
import type { SensorFormat, SensorKind, SensorRef } from './types.js';

/** One configured sensor as the service sees it. */
export interface SensorBinding extends SensorRef {
  readonly topic: string;
  readonly format: SensorFormat;
  /** The sensor's own staleness threshold, minutes, if configured. */
  readonly staleAfterMinutes?: number;
  readonly timezone: string;
}

/** Sensors sharing one topic and format: decoded once, then each kind is read from the message. */
export interface TopicGroup {
  readonly format: SensorFormat;
  readonly bindings: readonly SensorBinding[];
  readonly kinds: readonly SensorKind[];
}

export type SensorIndex = ReadonlyMap<string, readonly TopicGroup[]>;

/** Id of the sensor behind a site's `outdoorTemperatureTopic`. */
export function siteOutdoorSensorId(siteId: string): string {
  return `site/${siteId}/outdoor-temperature`;
}

/** Every sensor of every site, including each site's outdoor temperature topic. */
export function listSensors(sites: readonly SiteConfig[]): SensorBinding[] {
  const out: SensorBinding[] = [];
  for (const site of sites) {
    if (site.outdoorTemperatureTopic !== undefined) {
      out.push({
        sensorId: siteOutdoorSensorId(site.id),
        siteId: site.id,
        spaceId: null,
        kind: 'outdoor-temperature',
        topic: site.outdoorTemperatureTopic,
        format: site.outdoorTemperatureFormat,
        timezone: site.timezone,
      });
    }
    for (const space of site.spaces) {
      for (const s of space.sensors) {
        out.push({
          sensorId: s.id,
          siteId: site.id,
          spaceId: space.id,
          kind: s.kind,
          topic: s.topic,
          format: s.format,
          ...(s.staleAfterMinutes !== undefined ? { staleAfterMinutes: s.staleAfterMinutes } : {}),
          timezone: site.timezone,
        });
      }
    }
  }
  return out;
}

export function buildSensorIndex(bindings: readonly SensorBinding[]): SensorIndex {
  const index = new Map<string, TopicGroup[]>();
  for (const b of bindings) {
    const groups = index.get(b.topic) ?? [];
    const group = groups.find((g) => g.format === b.format);
    if (group) {
      (group.bindings as SensorBinding[]).push(b);
      if (!group.kinds.includes(b.kind)) (group.kinds as SensorKind[]).push(b.kind);
    } else groups.push({ format: b.format, bindings: [b], kinds: [b.kind] });
    index.set(b.topic, groups);
  }
  return index;
}
