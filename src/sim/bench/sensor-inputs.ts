import type { QuietWattConfig } from '../../config/schema/index.js';
import { decodeSensorPayload } from '../../domain/sensors/decode.js';
import type { SensorFormat, SensorKind } from '../../domain/sensors/types.js';

/** Who listens to a sensor topic: the space (or the site, for outdoor temperature) and the kinds it carries. */
export interface SensorRoute {
  readonly topic: string;
  readonly format: SensorFormat;
  readonly siteId: string;
  /** `<site>/<space>`, or undefined for a site's outdoor temperature. */
  readonly spaceKey: string | undefined;
  readonly kinds: readonly SensorKind[];
  readonly timezone: string;
}

export function sensorRoutes(config: QuietWattConfig): SensorRoute[] {
  const routes = new Map<string, SensorRoute>();
  for (const site of config.sites) {
    if (site.outdoorTemperatureTopic) {
      routes.set(site.outdoorTemperatureTopic, {
        topic: site.outdoorTemperatureTopic,
        format: site.outdoorTemperatureFormat,
        siteId: site.id,
        spaceKey: undefined,
        kinds: ['outdoor-temperature'],
        timezone: site.timezone,
      });
    }
    for (const space of site.spaces) {
      for (const s of space.sensors) {
        const prev = routes.get(s.topic);
        const kinds = prev ? [...prev.kinds, s.kind] : [s.kind];
        routes.set(s.topic, {
          topic: s.topic,
          format: s.format,
          siteId: site.id,
          spaceKey: `${site.id}/${space.id}`,
          kinds,
          timezone: site.timezone,
        });
      }
    }
  }
  return [...routes.values()];
}

/** The values a sensor message carries, decoded as the service decodes them; empty when rejected. */
export function readSensor(
  route: SensorRoute,
  payload: Uint8Array,
  nowMs: number,
): { tsMs: number; values: Partial<Record<SensorKind, number>> } | undefined {
  const r = decodeSensorPayload(payload, route.format, route.kinds, {
    receivedAtMs: nowMs,
    nowMs,
    timezone: route.timezone,
    maxPayloadBytes: 65_536,
    futureToleranceMs: 120_000,
    maxAgeMs: 86_400_000,
  });
  if (r.ok !== true) return undefined;
  const values: Partial<Record<SensorKind, number>> = {};
  for (const k of r.kinds) if (k.ok === true) values[k.kind] = k.value;
  return { tsMs: r.tsMs, values };
}
