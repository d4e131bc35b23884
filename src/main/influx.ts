import type Database from 'better-sqlite3';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { InfluxLineWriter } from '../adapters/influx/influx-line-writer.js';
import { OutboxSink } from '../adapters/influx/outbox-sink.js';
import { SqlitePointOutbox } from '../adapters/sqlite/point-outbox-store.js';
import type { InfluxConfig } from '../config/schema/influx.js';
import type { SiteConfig } from '../config/schema/site.js';
import type { Clock } from '../ports/clock.js';
import type { Component } from '../ports/component.js';
import type { Logger } from '../ports/logger.js';
import type { AlertSink } from '../ports/operations.js';
import type { Scheduler } from '../ports/scheduler.js';
import { ForecastExport, type ForecastSource } from '../services/export/forecast-export.js';
import { StoreTaps } from '../services/export/store-taps.js';

export interface InfluxWiringDeps {
  readonly config: InfluxConfig | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly db: Database.Database;
  /** The service's clock (simulated in the demo): rejection counts are stamped with it. */
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly sites: () => readonly SiteConfig[];
  readonly alerts: AlertSink;
  readonly log: Logger;
}

export interface InfluxWiring {
  /** The sink first: it starts before the services write and stops after them. */
  readonly components: Component[];
  /** Store wrappers that export what is written; the stores themselves when the sink is off. */
  readonly taps: Pick<StoreTaps, 'intervals' | 'sensors' | 'ledger' | 'audit' | 'rejections'>;
  /** Exports each new forecast; a component to push after the forecast service. */
  forecasts(source: ForecastSource): Component[];
  /** The start banner's line about the sink, if it runs. */
  readonly banner: string[];
}

const passThrough: InfluxWiring['taps'] = {
  intervals: (s) => s,
  sensors: (s) => s,
  ledger: (s) => s,
  audit: (s) => s,
  rejections: (s) => s,
};

/** The optional InfluxDB sink (docs/influxdb.md); without `influx` in the config, nothing at all. */
export function wireInflux(deps: InfluxWiringDeps): InfluxWiring {
  const cfg = deps.config;
  if (!cfg) return { components: [], taps: passThrough, forecasts: () => [], banner: [] };
  const log = deps.log.child({ component: 'influx' });
  const outboxTable = deps.db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'influx_outbox'")
    .get();
  // Without its outbox the sink could not keep its promise to lose nothing: refuse to start.
  if (outboxTable === undefined)
    throw new Error(
      'the influx sink needs the table influx_outbox (migration 009), which this store does not have',
    );
  const token = cfg.tokenEnv ? deps.env[cfg.tokenEnv] : undefined;
  if (cfg.tokenEnv && !token) log.warn({ tokenEnv: cfg.tokenEnv }, 'influx token variable is not set');
  const sink = new OutboxSink({
    outbox: new SqlitePointOutbox(deps.db),
    writer: new InfluxLineWriter({
      url: cfg.url,
      org: cfg.org,
      bucket: cfg.bucket,
      token,
      timeoutMs: cfg.timeoutSeconds * 1000,
      maxBatchLines: cfg.batchSize,
    }),
    clock: new SystemClock(),
    alerts: deps.alerts,
    log,
    options: {
      batchLines: cfg.batchSize,
      flushMs: cfg.flushEverySeconds * 1000,
      firstBackoffMs: cfg.firstBackoffSeconds * 1000,
      maxBackoffMs: cfg.maxBackoffSeconds * 1000,
      maxOutboxLines: cfg.outbox.maxPoints,
      maxDeadLetters: cfg.outbox.maxDeadLetters,
      alertAfterMs: cfg.alertAfterSeconds * 1000,
    },
  });
  const taps = new StoreTaps({ sink, clock: deps.clock, sites: deps.sites, log });
  return {
    components: [sink],
    taps,
    forecasts: (source) => [
      new ForecastExport({ source, sink, scheduler: deps.scheduler, sites: deps.sites, log }),
    ],
    banner: [
      `  influx     ${withoutCredentials(cfg.url)} (org ${cfg.org}, bucket ${cfg.bucket}; outbox in the store)`,
    ],
  };
}

/** A URL as it may be shown: credentials in it (user:password@) are left out. */
function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}
