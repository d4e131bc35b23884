import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { AccessControl } from '../adapters/http/auth/access-control.js';
import { ConfigState, type RefusedReload } from '../adapters/http/config-state.js';
import { createFirstTokens } from '../adapters/http/demo-tokens.js';
import type {
  ControlView,
  HttpDeps,
  IngestView,
  OutdoorForecastView,
  SensorsView,
  SensorValueView,
} from '../adapters/http/deps.js';
import { meterSpacesOf, serviceMetrics } from '../adapters/http/metrics.js';
import { storeReadiness } from '../adapters/http/readiness.js';
import { HttpServer } from '../adapters/http/server.js';
import type { TimedFitRunner } from '../adapters/http/timed-fit-runner.js';
import { registerWeb } from '../adapters/http/web/register.js';
import { SqliteAccessStore } from '../adapters/sqlite/access-store.js';
import { SqliteAuditPageReader } from '../adapters/sqlite/audit-page-reader.js';
import { SqliteLatestModelsReader } from '../adapters/sqlite/latest-models-reader.js';
import { SqliteOpsMetricsReader } from '../adapters/sqlite/ops-metrics-reader.js';
import { sqliteWriteProbe } from '../adapters/sqlite/write-probe.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import { refused } from '../domain/commands/envelope.js';
import type { Clock } from '../ports/clock.js';
import type { CommandLogEntry, CommandLogQuery } from '../ports/command-log.js';
import type { Component } from '../ports/component.js';
import type { Logger } from '../ports/logger.js';
import type { AlertReader, CommandHandler } from '../ports/operations.js';
import type { ComfortView, SavingsView } from '../ports/savings-view.js';

/** The control service as wired here: its status, and its per-space mode rows when it has them. */
export type WiredControl = ControlView & {
  spaceStatus?(): readonly {
    readonly siteId: string;
    readonly spaceId: string;
    readonly mode: 'off' | 'shadow' | 'active';
    readonly modeSource: 'config' | 'operator';
  }[];
};

export interface HttpWiring {
  readonly config: Readonly<QuietWattConfig>;
  readonly configFile: string;
  /** The config in force after reloads (else only `configChanged` updates it). */
  readonly configInForce?: () => Readonly<QuietWattConfig>;
  readonly db: Database.Database;
  readonly clock: Clock;
  readonly log: Logger;
  /** pino logger fastify logs request errors to. */
  readonly logger?: FastifyBaseLogger;
  readonly control: WiredControl;
  readonly ingest: IngestView;
  readonly sensors: SensorsView & SensorValueView;
  readonly savings: SavingsView;
  readonly comfort: ComfortView;
  readonly commands?: CommandHandler;
  readonly recentCommands?: (query: CommandLogQuery) => CommandLogEntry[];
  readonly alerts?: AlertReader;
  readonly lastRefusedReload?: () => RefusedReload | undefined;
  readonly mqttConnected?: () => boolean;
  readonly fits?: Pick<TimedFitRunner, 'onFit'>;
  /** The outdoor temperature forecasts, for /metrics and /api/v1/models. */
  readonly outdoorForecast?: OutdoorForecastView;
  /** Dashboard and report pages; default: the ones under src/adapters/http/web. */
  readonly registerWeb?: (app: FastifyInstance) => Promise<void>;
}

export interface HttpWired {
  /** Push last, so it starts after the services and stops first. */
  readonly component: Component;
  readonly server: HttpServer;
  /** Call with each config the watcher accepted. */
  configChanged(config: Readonly<QuietWattConfig>): void;
}

/** Where the first-start tokens go: `http.tokensFile`, else `<storage.dir>/tokens.txt`. */
export function tokensFileOf(config: Readonly<QuietWattConfig>): string {
  return resolve(config.http.tokensFile ?? join(config.storage.dir, 'tokens.txt'));
}

const noCommands: CommandHandler = {
  execute: async (c) => refused(c, 'operator commands are not available in this service', Date.now()),
};

/** Builds the HTTP server over the running services; undefined when `http.enabled` is false. */
export function wireHttp(w: HttpWiring): HttpWired | undefined {
  const http = w.config.http;
  if (!http.enabled) return undefined;
  const configState = new ConfigState(w.configFile, w.config, {
    ...(w.configInForce ? { inForce: w.configInForce } : {}),
    ...(w.lastRefusedReload ? { lastRefused: w.lastRefusedReload } : {}),
  });
  const access = new AccessControl(new SqliteAccessStore(w.db));
  const ops = new SqliteOpsMetricsReader(w.db);
  const wired = w.control;
  // One read of every space's mode per request (a site page asks for each of its spaces in turn);
  // dropped once the synchronous work of the request is done.
  let modeCache:
    | Map<string, NonNullable<ReturnType<NonNullable<WiredControl['spaceStatus']>>[number]>>
    | undefined;
  const spaceModes = () => {
    if (!modeCache) {
      modeCache = new Map((wired.spaceStatus?.() ?? []).map((r) => [`${r.siteId}/${r.spaceId}`, r]));
      queueMicrotask(() => {
        modeCache = undefined;
      });
    }
    return modeCache;
  };
  const control: ControlView = {
    status: () => wired.status(),
    releaseState: () => wired.releaseState(),
    planOf: (siteId, spaceId) => wired.planOf?.(siteId, spaceId),
    spaceMode: (siteId, spaceId) => {
      const row = spaceModes().get(`${siteId}/${spaceId}`);
      return row ? { mode: row.mode, source: row.modeSource } : wired.spaceMode?.(siteId, spaceId);
    },
  };
  const alerts = w.alerts ?? { alerts: () => [] };
  const metrics = serviceMetrics({
    now: () => w.clock.now(),
    ingest: w.ingest,
    sensors: w.sensors,
    control,
    meterStaleMinutes: () => configState.current().control.staleAfterMinutes.meter,
    setpointCounts: (fromMs, toMs) => ops.setpointCounts(fromMs, toMs),
    newestLedgerHourMs: () => ops.newestLedgerHourMs(),
    openAlerts: () => alerts.alerts({ open: true }),
    ...(w.outdoorForecast ? { outdoorForecast: w.outdoorForecast } : {}),
    meterSpaces: () => meterSpacesOf(configState.current()),
    perMeterUpTo: () => configState.current().http.metrics.perMeterUpTo,
  });
  w.fits?.onFit((kind, seconds) => metrics.fitDuration.observe({ kind }, seconds));
  const deps: HttpDeps = {
    clock: w.clock,
    config: configState,
    access,
    control,
    ingest: w.ingest,
    sensors: w.sensors,
    savings: w.savings,
    comfort: w.comfort,
    audit: new SqliteAuditPageReader(w.db),
    models: new SqliteLatestModelsReader(w.db),
    alerts,
    commands: w.commands ?? noCommands,
    commandLog: { recent: w.recentCommands ?? (() => []) },
    readiness: storeReadiness({
      writeProbe: sqliteWriteProbe(w.db),
      dir: resolve(w.config.storage.dir),
      ...(w.mqttConnected ? { mqttConnected: w.mqttConnected } : {}),
    }),
    ...(w.outdoorForecast ? { outdoorForecast: w.outdoorForecast } : {}),
  };
  const server = new HttpServer(deps, {
    host: http.host,
    port: http.port,
    trustProxy: http.trustProxy,
    sessionHours: http.sessionHours,
    secureCookie: http.secureCookie,
    signInPerMinute: http.signInPerMinute,
    metricsOpen: http.metrics.open,
    metrics,
    ...(w.logger ? { logger: w.logger } : {}),
    registerWeb: w.registerWeb ?? registerWeb,
  });
  const component: Component = {
    name: 'http',
    start: async () => {
      if (http.createTokens) {
        const file = tokensFileOf(w.config);
        if (await createFirstTokens(access, file))
          w.log.info({ file }, 'created a viewer and an operator API token (first start)');
      }
      await server.start();
      w.log.info({ url: server.url() }, 'HTTP API and dashboard listening');
    },
    stop: () => server.stop(),
  };
  return { component, server, configChanged: (c) => configState.accepted(c) };
}
