import type { QuietWattConfig, SiteConfig } from '../../../config/schema/index.js';
import { spaceModeOf } from '../../../domain/control/space-mode.js';
import type { HttpDeps, IngestView, MeterStatsView } from '../deps.js';
import { isoIn, isoOrNull } from '../time.js';

type SpaceConfig = SiteConfig['spaces'][number];

/**
 * The services' live state, read once per request: the stats calls copy every sensor's counters
 * (and every meter's, where the ingest service cannot be read live), so a site of many spaces must
 * not read them once per space.
 */
export interface LiveSnapshot {
  readonly nowMs: number;
  /** A meter's counters: read live where the ingest service offers it, else from one copy of all. */
  readonly meter: (meterId: string) => MeterStatsView | undefined;
  readonly sensorSeen: ReadonlyMap<string, number | undefined>;
  readonly sensorStats: ReturnType<HttpDeps['sensors']['stats']>['sensors'];
  readonly devices: ReadonlyMap<string, ReturnType<HttpDeps['control']['status']>[number]>;
  /** State reports that broke the contract, per device key, since start. */
  readonly rejectedReports: Readonly<Record<string, number>>;
}

function meterReader(ingest: IngestView): (meterId: string) => MeterStatsView | undefined {
  const live = ingest.liveMeterStats?.();
  if (live) return (id) => live.get(id);
  const copy = ingest.stats().meters;
  return (id) => copy[id];
}

export function liveSnapshot(deps: HttpDeps): LiveSnapshot {
  return {
    nowMs: deps.clock.now(),
    meter: meterReader(deps.ingest),
    sensorSeen: new Map(deps.sensors.freshness().map((f) => [f.id, f.lastSeenMs])),
    sensorStats: deps.sensors.stats().sensors,
    devices: new Map(deps.control.status().map((d) => [d.key, d])),
    rejectedReports: deps.control.rejectedStateReports?.() ?? {},
  };
}

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
  live: LiveSnapshot,
) {
  const zone = site.timezone;
  const staleMeterMs = config.control.staleAfterMinutes.meter * 60_000;
  const { mode, source } = spaceModeView(deps, config, site.id, space.id);
  return {
    siteId: site.id,
    spaceId: space.id,
    name: space.name ?? space.id,
    type: space.type,
    mode,
    modeSource: source,
    meters: space.meters.map((m) => {
      const st = live.meter(m.id);
      const last = st?.lastReadingTsMs ?? null;
      return {
        id: m.id,
        endUse: m.measures,
        lastReadingAt: isoOrNull(last, zone),
        stale: last === null || live.nowMs - last > staleMeterMs,
        accepted: st?.accepted ?? 0,
        rejected: Object.values(st?.rejected ?? {}).reduce<number>((a, b) => a + (b ?? 0), 0),
      };
    }),
    sensors: space.sensors.map((s) => {
      const latest = deps.sensors.latest(site.id, space.id, s.kind);
      return {
        id: s.id,
        kind: s.kind,
        value: latest?.sensorId === s.id ? latest.value : null,
        lastReadingAt: isoOrNull(live.sensorSeen.get(s.id), zone),
        stale: deps.sensors.isStale(s.id, live.nowMs),
        accepted: live.sensorStats[s.id]?.accepted ?? 0,
      };
    }),
    devices: space.devices.map((d) => {
      const key = `${site.id}/${space.id}/${d.id}`;
      const st = live.devices.get(key);
      return {
        id: d.id,
        kind: d.kind,
        commissioning: st?.commissioning ?? 'not-controlled',
        ack: st?.ack ?? 'none',
        handedBack: st?.handedBack ?? true,
        setpoint: st?.lastValue ?? null,
        leaseUntil: isoOrNull(st?.leaseUntilMs, zone),
        overrideUntil: isoOrNull(st?.overrideUntilMs, zone),
        rejectedReports: live.rejectedReports[key] ?? 0,
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
  const live = liveSnapshot(deps);
  return {
    id: site.id,
    name: site.name,
    timeZone: site.timezone,
    now: isoIn(live.nowMs, site.timezone),
    release: deps.control.releaseState(),
    spaces: site.spaces.map((sp) => spaceStatus(deps, config, site, sp, live)),
  };
}
