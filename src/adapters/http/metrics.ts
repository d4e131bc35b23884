import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ControlView, IngestView, MeterStatsView, OutdoorForecastView, SensorsView } from './deps.js';

/** Sampling period of the event-loop delay histogram. */
const LOOP_RESOLUTION_MS = 10;

export interface MetricsSources {
  readonly now: () => number;
  readonly ingest: IngestView;
  readonly sensors: SensorsView;
  readonly control: ControlView;
  /** Minutes of silence after which a meter counts as stale. */
  readonly meterStaleMinutes: () => number;
  readonly setpointCounts?: (fromMs: number, toMs: number) => { published: number; acknowledged: number };
  readonly newestLedgerHourMs?: () => number | null;
  readonly openAlerts?: () => readonly { readonly severity: string }[];
  readonly outdoorForecast?: OutdoorForecastView;
  /** Each configured meter's site and space, for the per-space totals. */
  readonly meterSpaces?: () => ReadonlyMap<string, MeterSpace>;
  /** Series per meter only while there are at most this many meters (`http.metrics.perMeterUpTo`). */
  readonly perMeterUpTo?: () => number;
}

export interface MeterSpace {
  readonly siteId: string;
  readonly spaceId: string;
}

const meterSpacesCache = new WeakMap<object, ReadonlyMap<string, MeterSpace>>();

/** Each configured meter's site and space; made once per config in force (a reload brings a new one). */
export function meterSpacesOf(config: {
  readonly sites: readonly {
    readonly id: string;
    readonly spaces: readonly { readonly id: string; readonly meters: readonly { readonly id: string }[] }[];
  }[];
}): ReadonlyMap<string, MeterSpace> {
  let places = meterSpacesCache.get(config.sites);
  if (!places) {
    const made = new Map<string, MeterSpace>();
    for (const site of config.sites)
      for (const space of site.spaces)
        for (const meter of space.meters) made.set(meter.id, { siteId: site.id, spaceId: space.id });
    places = made;
    meterSpacesCache.set(config.sites, places);
  }
  return places;
}

/** Per meter series while there are at most this many meters, unless the config says otherwise. */
const DEFAULT_PER_METER_UP_TO = 2000;

interface SpaceTotal {
  readonly site: string;
  readonly space: string;
  accepted: number;
  readonly rejected: Map<string, number>;
}

/** Accepted and rejected readings summed per space, in one pass over the meters. */
function spaceTotals(
  meters: ReadonlyMap<string, MeterStatsView>,
  places: ReadonlyMap<string, MeterSpace>,
): Map<string, SpaceTotal> {
  const totals = new Map<string, SpaceTotal>();
  for (const [meterId, s] of meters) {
    const place = places.get(meterId);
    if (!place) continue;
    const key = `${place.siteId}\u0000${place.spaceId}`;
    let t = totals.get(key);
    if (!t) {
      t = { site: place.siteId, space: place.spaceId, accepted: 0, rejected: new Map() };
      totals.set(key, t);
    }
    t.accepted += s.accepted;
    for (const reason in s.rejected) {
      const n = s.rejected[reason];
      if (n) t.rejected.set(reason, (t.rejected.get(reason) ?? 0) + n);
    }
  }
  return totals;
}

/** A value read at most once per scrape: `get` reads it the first time after each `reset`. */
function snapshotOf<T>(read: () => T): { get(): T; reset(): void } {
  let snapshot: { readonly value: T } | undefined;
  return {
    get: () => {
      snapshot ??= { value: read() };
      return snapshot.value;
    },
    reset: () => {
      snapshot = undefined;
    },
  };
}

/** A registry that calls `onScrape` before each scrape collects its metrics. */
class ScrapeRegistry extends Registry {
  constructor(private readonly onScrape: () => void) {
    super();
  }

  override metrics(): Promise<string> {
    this.onScrape();
    return super.metrics();
  }
}

/** Rows decided this long ago have settled (published and acknowledged, or never). */
const SETTLE_MS = 60 * 60_000;

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Fit durations are observed by the fit runner wrapper. */
  readonly fitDuration: Histogram;
  stop(): void;
}

/**
 * Every figure is read from the services' own statistics when Prometheus scrapes (collect
 * callbacks); nothing on the ingest or control paths is instrumented.
 */
export function serviceMetrics(sources: MetricsSources): ServiceMetrics {
  // Read once per scrape. The meters' statistics are read live where the service offers it: a copy
  // of every meter's took 1.4 s a scrape at 100,000 meters.
  const copied = snapshotOf(() => sources.ingest.stats());
  const meters = snapshotOf(
    (): ReadonlyMap<string, MeterStatsView> =>
      sources.ingest.liveMeterStats?.() ?? new Map(Object.entries(copied.get().meters)),
  );
  const writer = snapshotOf(() => sources.ingest.writerStats?.() ?? copied.get());
  const sensors = snapshotOf(() => sources.sensors.stats());
  const spaces = snapshotOf(() => spaceTotals(meters.get(), sources.meterSpaces?.() ?? new Map()));
  const ingestStats = writer.get;
  const sensorStats = sensors.get;
  const perMeter = () => meters.get().size <= (sources.perMeterUpTo?.() ?? DEFAULT_PER_METER_UP_TO);
  const registry = new ScrapeRegistry(() => {
    copied.reset();
    meters.reset();
    writer.reset();
    sensors.reset();
    spaces.reset();
  });
  collectDefaultMetrics({ register: registry, prefix: 'quietwatt_' });
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();

  new Counter({
    name: 'quietwatt_readings_ingested_total',
    help: 'Meter readings accepted, per meter (since start; up to http.metrics.perMeterUpTo meters)',
    labelNames: ['meter'],
    registers: [registry],
    collect() {
      this.reset();
      if (!perMeter()) return;
      for (const [meter, s] of meters.get()) this.inc({ meter }, s.accepted);
    },
  });
  new Counter({
    name: 'quietwatt_readings_rejected_total',
    help: 'Meter readings rejected, per meter and reason (since start; up to http.metrics.perMeterUpTo meters)',
    labelNames: ['meter', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      if (!perMeter()) return;
      for (const [meter, s] of meters.get())
        for (const [reason, n] of Object.entries(s.rejected)) if (n) this.inc({ meter, reason }, n);
    },
  });
  new Counter({
    name: 'quietwatt_space_readings_ingested_total',
    help: "Meter readings accepted, per site and space (since start; the space's configured meters)",
    labelNames: ['site', 'space'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of spaces.get().values()) this.inc({ site: t.site, space: t.space }, t.accepted);
    },
  });
  new Counter({
    name: 'quietwatt_space_readings_rejected_total',
    help: "Meter readings rejected, per site, space and reason (since start; the space's configured meters)",
    labelNames: ['site', 'space', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of spaces.get().values())
        for (const [reason, n] of t.rejected) this.inc({ site: t.site, space: t.space, reason }, n);
    },
  });
  new Counter({
    name: 'quietwatt_sensor_samples_total',
    help: 'Sensor samples accepted, per sensor (since start)',
    labelNames: ['sensor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [sensor, s] of Object.entries(sensorStats().sensors)) this.inc({ sensor }, s.accepted);
    },
  });
  new Counter({
    name: 'quietwatt_sensor_samples_rejected_total',
    help: 'Sensor samples rejected, per sensor and reason (since start)',
    labelNames: ['sensor', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [sensor, s] of Object.entries(sensorStats().sensors))
        for (const [reason, n] of Object.entries(s.rejected)) if (n) this.inc({ sensor, reason }, n);
    },
  });
  new Counter({
    name: 'quietwatt_store_write_failures_total',
    help: 'Failed attempts to write buffered rows to the store, per writer (since start)',
    labelNames: ['writer'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ writer: 'ingest' }, ingestStats().writeFailures ?? 0);
      this.inc({ writer: 'sensors' }, sensorStats().writeFailures ?? 0);
    },
  });
  new Gauge({
    name: 'quietwatt_store_write_pending',
    help: 'Readings or samples accepted and not yet in the store (buffered, or held after a failed write)',
    labelNames: ['writer'],
    registers: [registry],
    collect() {
      this.set({ writer: 'ingest' }, ingestStats().pendingReadings ?? 0);
      this.set({ writer: 'sensors' }, sensorStats().pendingSamples ?? 0);
    },
  });
  new Gauge({
    name: 'quietwatt_ingest_flush_write_seconds',
    help: 'What the last ingest flush spent writing (its pages, without the turns between them)',
    registers: [registry],
    collect() {
      this.set((ingestStats().lastFlushWriteMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: 'quietwatt_ingest_flush_paced',
    help: '1 while ingest flushes are spaced out because their writes take more than a fifth of the interval (under load), else 0',
    registers: [registry],
    collect() {
      this.set(ingestStats().flushPaced ? 1 : 0);
    },
  });
  new Counter({
    name: 'quietwatt_state_reports_rejected_total',
    help: 'Controller state reports that broke the MQTT contract, per device (since start)',
    labelNames: ['device'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [device, n] of Object.entries(sources.control.rejectedStateReports?.() ?? {}))
        if (n) this.inc({ device }, n);
    },
  });
  new Gauge({
    name: 'quietwatt_meters_stale',
    help: 'Meters silent for longer than their stale threshold',
    registers: [registry],
    collect() {
      const nowMs = sources.now();
      const limitMs = sources.meterStaleMinutes() * 60_000;
      let stale = 0;
      for (const m of meters.get().values())
        if (m.lastReadingTsMs === null || nowMs - m.lastReadingTsMs > limitMs) stale++;
      this.set(stale);
    },
  });
  new Gauge({
    name: 'quietwatt_sensors_stale',
    help: 'Sensors silent for longer than their stale threshold',
    registers: [registry],
    collect() {
      const nowMs = sources.now();
      this.set(sources.sensors.freshness().filter((f) => sources.sensors.isStale(f.id, nowMs)).length);
    },
  });
  new Gauge({
    name: 'quietwatt_overrides_active',
    help: "Devices under a person's manual override hold",
    registers: [registry],
    collect() {
      this.set(sources.control.status().filter((d) => d.overrideUntilMs !== undefined).length);
    },
  });
  new Gauge({
    name: 'quietwatt_devices_handed_back',
    help: 'Devices currently running on their own schedule',
    registers: [registry],
    collect() {
      this.set(sources.control.status().filter((d) => d.handedBack).length);
    },
  });

  if (sources.outdoorForecast) outdoorForecastMetrics(registry, sources.outdoorForecast);

  if (sources.setpointCounts) {
    const count = sources.setpointCounts;
    // Counted from the audit log: rows settle after an hour and are added once; newer rows are
    // recounted at each scrape. Counting starts an hour before the process did.
    let settledBefore = sources.now() - SETTLE_MS;
    const settled = { published: 0, acknowledged: 0 };
    const totals = () => {
      const cut = sources.now() - SETTLE_MS;
      if (cut > settledBefore) {
        const add = count(settledBefore, cut);
        settled.published += add.published;
        settled.acknowledged += add.acknowledged;
        settledBefore = cut;
      }
      const recent = count(settledBefore, Number.MAX_SAFE_INTEGER);
      return {
        published: settled.published + recent.published,
        acknowledged: settled.acknowledged + recent.acknowledged,
      };
    };
    new Counter({
      name: 'quietwatt_setpoints_published_total',
      help: 'Setpoints published to controllers (since start)',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(totals().published);
      },
    });
    new Counter({
      name: 'quietwatt_setpoints_acknowledged_total',
      help: 'Setpoints acknowledged by controllers (since start)',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(totals().acknowledged);
      },
    });
  }
  if (sources.newestLedgerHourMs) {
    const newest = sources.newestLedgerHourMs;
    new Gauge({
      name: 'quietwatt_ledger_lag_seconds',
      help: 'Time since the end of the newest hour in the savings ledger (service time)',
      registers: [registry],
      collect() {
        const hour = newest();
        if (hour !== null) this.set(Math.max(0, (sources.now() - (hour + 3_600_000)) / 1000));
      },
    });
  }
  if (sources.openAlerts) {
    const open = sources.openAlerts;
    new Gauge({
      name: 'quietwatt_alerts_open',
      help: 'Open alerts per severity',
      labelNames: ['severity'],
      registers: [registry],
      collect() {
        this.reset();
        for (const severity of ['info', 'warning', 'critical']) this.set({ severity }, 0);
        for (const a of open()) this.inc({ severity: a.severity });
      },
    });
  }
  new Gauge({
    name: 'quietwatt_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      // The histogram holds the time between the sampling timer's runs; the delay is what exceeds
      // its period (an idle loop reads 10.1 ms at a 10 ms resolution).
      const delayS = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS) / 1000;
      for (const q of [50, 90, 99]) this.set({ quantile: String(q / 100) }, delayS(loop.percentile(q)));
      this.set({ quantile: 'max' }, delayS(loop.max));
      loop.reset();
    },
  });
  const fitDuration = new Histogram({
    name: 'quietwatt_fit_duration_seconds',
    help: 'Duration of model fits (forecast, occupancy, baseline) in the worker thread',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return { registry, fitDuration, stop: () => loop.disable() };
}

/** The outdoor temperature forecasts' measured error and their rejected payloads. */
function outdoorForecastMetrics(registry: Registry, view: OutdoorForecastView): void {
  new Gauge({
    name: 'quietwatt_outdoor_forecast_error_kelvin',
    help: 'Error of the outdoor temperature forecasts (first 24 h of each, last 7 days) against the outdoor sensor, per site, source (all, topic, recent-days) and statistic (mae, rmse, bias = forecast minus measured)',
    labelNames: ['site', 'source', 'stat'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of view.status()) {
        for (const [source, e] of [['all', s.error], ...Object.entries(s.errorBySource)] as const) {
          if (e.maeK !== null) this.set({ site: s.siteId, source, stat: 'mae' }, e.maeK);
          if (e.rmseK !== null) this.set({ site: s.siteId, source, stat: 'rmse' }, e.rmseK);
          if (e.biasK !== null) this.set({ site: s.siteId, source, stat: 'bias' }, e.biasK);
        }
      }
    },
  });
  new Gauge({
    name: 'quietwatt_outdoor_forecast_scored_hours',
    help: 'Forecast hours scored against the outdoor sensor (last 7 days), per site and source',
    labelNames: ['site', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of view.status()) {
        this.set({ site: s.siteId, source: 'all' }, s.error.hours);
        for (const [source, e] of Object.entries(s.errorBySource))
          this.set({ site: s.siteId, source }, e.hours);
      }
    },
  });
  new Gauge({
    name: 'quietwatt_outdoor_forecast_published_in_use',
    help: "1 while a site's published forecast is fresh and in use, 0 while the sensor-history forecast is",
    labelNames: ['site'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of view.status()) this.set({ site: s.siteId }, s.source === 'topic' ? 1 : 0);
    },
  });
  new Counter({
    name: 'quietwatt_outdoor_forecasts_rejected_total',
    help: 'Outdoor forecast payloads rejected, per site and reason (since start)',
    labelNames: ['site', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of view.status())
        for (const [reason, n] of Object.entries(s.rejected)) if (n) this.inc({ site: s.siteId, reason }, n);
    },
  });
}
