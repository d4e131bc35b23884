import { type QuietWattConfig, type SiteConfig, spaceModeOf } from '../../../config/schema/index.js';
import type { HttpDeps } from '../deps.js';
import { isoIn, isoOrNull } from '../time.js';

type SpaceConfig = SiteConfig['spaces'][number];

export function spaceModeView(
  deps: HttpDeps,
  config: Readonly<QuietWattConfig>,
  siteId: string,
  spaceId: string,
) {
  const m = deps.control.spaceMode?.(siteId, spaceId);
  return m ?? { mode: spaceModeOf(config.control, siteId, spaceId), source: 'config' as const };
}

/** One space as the API shows it: mode and its source, meters, sensors, devices. */
export function spaceStatus(
  deps: HttpDeps,
  config: Readonly<QuietWattConfig>,
  site: SiteConfig,
  space: SpaceConfig,
  devices: ReturnType<HttpDeps['control']['status']>,
) {
  const zone = site.timezone;
  const nowMs = deps.clock.now();
  const meterStats = deps.ingest.stats().meters;
  const staleMeterMs = config.control.staleAfterMinutes.meter * 60_000;
  const freshness = deps.sensors.freshness();
  const sensorStats = deps.sensors.stats().sensors;
  const { mode, source } = spaceModeView(deps, config, site.id, space.id);
  const prefix = `${site.id}/${space.id}/`;
  const byKey = new Map(devices.filter((d) => d.key.startsWith(prefix)).map((d) => [d.key, d]));
  return {
    siteId: site.id,
    spaceId: space.id,
    name: space.name ?? space.id,
    type: space.type,
    mode,
    modeSource: source,
    meters: space.meters.map((m) => {
      const st = meterStats[m.id];
      const last = st?.lastReadingTsMs ?? null;
      return {
        id: m.id,
        endUse: m.measures,
        lastReadingAt: isoOrNull(last, zone),
        stale: last === null || nowMs - last > staleMeterMs,
        accepted: st?.accepted ?? 0,
        rejected: Object.values(st?.rejected ?? {}).reduce<number>((a, b) => a + (b ?? 0), 0),
      };
    }),
    sensors: space.sensors.map((s) => {
      const f = freshness.find((x) => x.id === s.id);
      const latest = deps.sensors.latest(site.id, space.id, s.kind);
      return {
        id: s.id,
        kind: s.kind,
        value: latest?.sensorId === s.id ? latest.value : null,
        lastReadingAt: isoOrNull(f?.lastSeenMs, zone),
        stale: deps.sensors.isStale(s.id, nowMs),
        accepted: sensorStats[s.id]?.accepted ?? 0,
      };
    }),
    devices: space.devices.map((d) => {
      const st = byKey.get(`${prefix}${d.id}`);
      return {
        id: d.id,
        kind: d.kind,
        commissioning: st?.commissioning ?? 'not-controlled',
        ack: st?.ack ?? 'none',
        handedBack: st?.handedBack ?? true,
        setpoint: st?.lastValue ?? null,
        leaseUntil: isoOrNull(st?.leaseUntilMs, zone),
        overrideUntil: isoOrNull(st?.overrideUntilMs, zone),
      };
    }),
  };
}

export function siteSummary(deps: HttpDeps, config: Readonly<QuietWattConfig>, site: SiteConfig) {
  return {
    id: site.id,
    name: site.name,
    timeZone: site.timezone,
    spaces: site.spaces.map((sp) => {
      const { mode, source } = spaceModeView(deps, config, site.id, sp.id);
      return { id: sp.id, name: sp.name ?? sp.id, type: sp.type, mode, modeSource: source };
    }),
  };
}

export function siteStatus(deps: HttpDeps, config: Readonly<QuietWattConfig>, site: SiteConfig) {
  const devices = deps.control.status();
  return {
    id: site.id,
    name: site.name,
    timeZone: site.timezone,
    now: isoIn(deps.clock.now(), site.timezone),
    release: deps.control.releaseState(),
    spaces: site.spaces.map((sp) => spaceStatus(deps, config, site, sp, devices)),
  };
}
