import { resolve } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import { AcceleratedClock } from './adapters/clock/accelerated-clock.js';
import { ManualClock } from './adapters/clock/manual-clock.js';
import { refuseStoreAheadOfClock } from './adapters/clock/store-time-guard.js';
import { SystemClock } from './adapters/clock/system-clock.js';
import { ConfigFileWatcher } from './adapters/config-file/watch.js';
import { TimedFitRunner } from './adapters/http/timed-fit-runner.js';
import { registerWeb } from './adapters/http/web/register.js';
import { EmbeddedBroker } from './adapters/mqtt/embedded-broker.js';
import { MqttBus, redactUrl } from './adapters/mqtt/mqtt-bus.js';
import { AcceleratedDriver } from './adapters/scheduler/accelerated-driver.js';
import { CronScheduler } from './adapters/scheduler/cron-scheduler.js';
import { LockstepDriver } from './adapters/scheduler/lockstep-driver.js';
import { SimulatedScheduler } from './adapters/scheduler/simulated-scheduler.js';
import type { WarmupDriver } from './adapters/scheduler/warmup-driver.js';
import { backupSqliteStorage } from './adapters/sqlite/backup-storage.js';
import { newestStoredDataMs } from './adapters/sqlite/newest-data.js';
import { SqliteSensorStore } from './adapters/sqlite/sensor-store.js';
import { openSqliteStorage, type SqliteStorage } from './adapters/sqlite/storage.js';
import { WorkerFitRunner } from './adapters/worker/worker-fit-runner.js';
import { component, createApp } from './app.js';
import type { QuietWattConfig } from './config/schema/index.js';
import { fastForwardBase, inShadow, type ReplayOutcome } from './main/fast-forward.js';
import { wireHomeAssistant } from './main/home-assistant.js';
import { tokensFileOf, wireHttp } from './main/http.js';
import { wireInflux } from './main/influx.js';
import { wireAlertsAndModes, wireCommands } from './main/operations.js';
import { ConfigReloader } from './main/reload.js';
import { latestMeasuredFigure } from './main/replay-outcome.js';
import { ReplaySync } from './main/replay-sync.js';
import { wireRetention } from './main/retention.js';
import { wireSavingsViews } from './main/savings-views.js';
import type { Clock } from './ports/clock.js';
import type { CommandLogEntry, CommandLogQuery } from './ports/command-log.js';
import type { Component } from './ports/component.js';
import type { Logger } from './ports/logger.js';
import type { MessageBus } from './ports/message-bus.js';
import type { AlertReader, CommandHandler } from './ports/operations.js';
import type { ComfortView, SavingsView } from './ports/savings-view.js';
import type { Scheduler } from './ports/scheduler.js';
import { ControlService } from './services/control/control-service.js';
import { ForecastService } from './services/forecast/forecast-service.js';
import { IngestService } from './services/ingest/ingest-service.js';
import type { RefusedReload } from './services/operations/reload-status.js';
import type { SpaceModes } from './services/operations/space-modes.js';
import { IngestSummary } from './services/reporting/ingest-summary.js';
import { SavingsLedgerService } from './services/savings/savings-ledger-service.js';
import { SensorService } from './services/sensors/sensor-service.js';
import { CommunitySimulator } from './sim/community-simulator.js';

/** Key under which accelerated time is kept, so a restarted demo continues where it stopped. */
const SIMULATED_TIME_KEY = 'clock.simulatedMs';

export interface ServiceOptions {
  readonly config: Readonly<QuietWattConfig>;
  readonly configFile: string;
  readonly rootLogger: PinoLogger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock time; tests may pass their own. */
  readonly realNow?: () => number;
  /** Reload the config file on change (operators' edits take effect without a restart). */
  readonly watchConfig?: boolean;
  /** The root logger's time source: follows the service's clock unless that is the system clock. */
  readonly logTime?: { follow(now: () => number): void };
}

export interface RunningService {
  readonly banner: string[];
  readonly ingest: IngestService;
  readonly sensors: SensorService;
  readonly forecast: ForecastService;
  readonly savings: SavingsLedgerService;
  readonly savingsView: SavingsView;
  readonly comfortView: ComfortView;
  /** Operator commands (set-mode, release, commission, ...), whatever the channel. */
  readonly commands: CommandHandler;
  readonly alerts: AlertReader;
  /** Where the HTTP API listens (`http://host:port`); undefined when `http.enabled` is false. */
  readonly httpUrl: string | undefined;
  /** Each space's mode and where it comes from (an operator's wins over the config file's). */
  readonly modes: SpaceModes;
  readonly recentCommands: (query: CommandLogQuery) => CommandLogEntry[];
  readonly lastRefusedReload: () => RefusedReload | undefined;
  /** Live device and space status. */
  readonly control: ControlService;
  readonly clock: Clock;
  stop(): Promise<void>;
}

interface TimeBase {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** What drives simulated time, given the service's bus (the lockstep clock listens on it). */
  readonly components: (bus: MessageBus) => Component[];
  readonly describe: string;
  /** The demo's replay driver, when this start replays simulated weeks first. */
  readonly fastForward?: WarmupDriver;
  readonly replayOutcome?: ReplayOutcome;
}

/** Composition root: the only place that knows the concrete adapters. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, rootLogger, env } = options;
  const log: Logger = rootLogger;
  const realNow = options.realNow ?? Date.now;
  const storageDir = resolve(config.storage.dir);
  // The ledger cuts each site's days in its zone; a reload may change a zone (see realignDays below).
  let zones = config.sites;
  await backupSqliteStorage(storageDir, log.child({ component: 'sqlite' }));
  const storage = openSqliteStorage(storageDir, log.child({ component: 'sqlite' }), {
    zoneOf: (siteId) => zones.find((s) => s.id === siteId)?.timezone,
  });
  const { stores } = storage;

  const time = timeBaseOverStore(config, storage, storageDir, realNow, log);
  // Log lines about simulated hours carry those hours (and the wall time beside them).
  if (config.clock.source !== 'system') options.logTime?.follow(() => time.clock.now());
  const components: Component[] = [storage.component];
  // A first demo start replays some weeks, shadow mode first (the switch to active is below).
  let configInForce = time.fastForward && config.clock.fastForward?.shadowDays ? inShadow(config) : config;
  const inForce = { current: () => configInForce };
  const ops = wireAlertsAndModes({
    config: inForce,
    configFile: options.configFile,
    db: storage.database.db,
    settings: stores.settings,
    clock: time.clock,
    log,
    env,
  });
  components.push(...ops.components);
  components.push(
    wireRetention({
      db: storage.database.db,
      clock: time.clock,
      scheduler: time.scheduler,
      log: log.child({ component: 'retention' }),
      policy: () => inForce.current().storage,
    }),
  );
  // Before the services, so it stops after them and keeps what they write as they stop.
  const influx = wireInflux({
    config: config.influx,
    env,
    db: storage.database.db,
    clock: time.clock,
    scheduler: time.scheduler,
    sites: () => zones,
    alerts: ops.alerts,
    log,
  });
  components.push(...influx.components);
  const rejections = influx.taps.rejections(stores.rejections);

  let brokerUrl = config.mqtt.url;
  if (config.mqtt.url === 'embedded') {
    const broker = new EmbeddedBroker(config.mqtt.embeddedPort, log.child({ component: 'broker' }));
    components.push(broker);
    brokerUrl = `mqtt://127.0.0.1:${config.mqtt.embeddedPort}`;
  }
  const busOptions = {
    url: brokerUrl,
    protocolVersion: config.mqtt.url === 'embedded' ? (4 as const) : config.mqtt.protocolVersion,
    sessionExpirySeconds: config.mqtt.sessionExpirySeconds,
    username: config.mqtt.usernameEnv ? env[config.mqtt.usernameEnv] : undefined,
    password: config.mqtt.passwordEnv ? env[config.mqtt.passwordEnv] : undefined,
    ...(config.mqtt.tls ? { tls: config.mqtt.tls } : {}),
  };
  const bus = new MqttBus(
    {
      ...busOptions,
      clientId: config.mqtt.clientId,
      persistentSession: true,
      availability: { topic: `${config.mqtt.topicPrefix}/status`, online: 'online', offline: 'offline' },
    },
    time.clock,
    log.child({ component: 'mqtt' }),
  );
  components.push(bus);

  // Buffered writes are an I/O matter: every 2 s of wall-clock time, and once a simulated minute under
  // simulated time, where a 2 s period would mean hundreds of empty transactions per bench step.
  const flushEverySeconds = config.clock.source === 'system' ? 2 : 60;
  const ingest = new IngestService({
    bus,
    flushEverySeconds,
    clock: time.clock,
    log: log.child({ component: 'ingest' }),
    scheduler: time.scheduler,
    readings: stores.readings,
    intervals: influx.taps.intervals(stores.intervals),
    meterState: stores.meterState,
    rejections,
    config: { sites: config.sites, rawRetentionDays: config.storage.rawRetentionDays },
    maxPayloadBytes: config.mqtt.maxPayloadBytes,
  });
  components.push(ingest);
  const sensorConfig = (c: Readonly<QuietWattConfig>) => ({
    sites: c.sites,
    rawRetentionDays: c.storage.rawRetentionDays,
    staleAfterMinutes: c.control.staleAfterMinutes,
  });
  const sensorStore = new SqliteSensorStore(storage.database.db);
  const sensors = new SensorService({
    bus,
    flushEverySeconds,
    clock: time.clock,
    log: log.child({ component: 'sensors' }),
    scheduler: time.scheduler,
    store: influx.taps.sensors(sensorStore),
    rejections,
    config: sensorConfig(config),
    maxPayloadBytes: config.mqtt.maxPayloadBytes,
  });
  components.push(sensors);
  components.push(
    new IngestSummary(
      ingest,
      stores.intervals,
      config.sites,
      time.scheduler,
      log.child({ component: 'summary' }),
    ),
  );

  // Model fits run in one worker thread so ingest never waits for them; it closes after both users stop.
  const fitRunner = new TimedFitRunner(new WorkerFitRunner(log.child({ component: 'fit-worker' })));
  components.push(
    component(
      'fit-worker',
      () => undefined,
      () => fitRunner.close(),
    ),
  );
  const temperature = (siteId: string, fromMs: number, toMs: number) =>
    sensorStore.outdoorTemperatureHourly(siteId, fromMs, toMs);
  const forecast = new ForecastService({
    clock: time.clock,
    scheduler: time.scheduler,
    log: log.child({ component: 'forecast' }),
    intervals: stores.intervals,
    models: stores.models,
    runner: fitRunner,
    sites: config.sites,
    forecast: config.forecast,
    temperature,
    occupancy: (siteId, spaceId, fromMs, toMs) =>
      sensorStore.occupancyFractionFor({ siteId, spaceId }, fromMs, toMs, 60),
    alerts: ops.alerts,
  });
  components.push(forecast, ...influx.forecasts(forecast));
  const savings = new SavingsLedgerService({
    clock: time.clock,
    scheduler: time.scheduler,
    log: log.child({ component: 'savings' }),
    intervals: stores.intervals,
    models: stores.models,
    ledger: influx.taps.ledger(stores.ledger),
    settings: stores.settings,
    runner: fitRunner,
    sites: config.sites,
    control: configInForce.control,
    tariffs: config.tariffs,
    savings: config.savings,
    forecast: config.forecast,
    temperature,
    schedules: config.schedules,
    modeOf: (siteId, spaceId) => ops.modes.modeOf(siteId, spaceId).mode,
    alerts: ops.alerts,
  });
  components.push(savings);
  const savingsViews = wireSavingsViews({
    config,
    savings,
    ...stores,
    sensors: sensorStore,
    audit: stores.setpointAudit,
  });

  if (time.replayOutcome) {
    time.replayOutcome.measured = () =>
      latestMeasuredFigure(
        savingsViews.savingsView,
        config.sites.map((s) => s.id),
        time.clock.now(),
      );
  }

  // After the bus, so it stops first: devices are handed back before the bus publishes `offline`.
  const controlSetup = (c: Readonly<QuietWattConfig>) => ({
    sites: c.sites,
    schedules: c.schedules,
    control: c.control,
    prefix: c.mqtt.topicPrefix,
    tariffs: c.tariffs,
  });
  const control = new ControlService({
    modes: ops.modes,
    alerts: ops.alerts,
    bus,
    clock: time.clock,
    scheduler: time.scheduler,
    log: log.child({ component: 'control' }),
    audit: influx.taps.audit(stores.setpointAudit),
    settings: stores.settings,
    setup: controlSetup(configInForce),
    sensors,
    meters: ingest,
    occupancyHistory: (siteId, spaceId, fromMs, toMs) =>
      sensorStore.occupancyFractionFor({ siteId, spaceId }, fromMs, toMs, 15),
    forecasts: {
      occupancy: (siteId, spaceId) => {
        const f = forecast.occupancyFor(siteId, spaceId);
        return f ? { tsMs: f.tsMs, values: f.probability } : undefined;
      },
      outdoorTemperature: (siteId, spaceId) => {
        const f =
          forecast.forecastFor(siteId, spaceId, 'hvac') ?? forecast.forecastFor(siteId, spaceId, 'lighting');
        return f ? { tsMs: f.tsMs, values: f.temperatureC } : undefined;
      },
    },
    dayArm: (siteId, dateLocal) => savings.armFor(siteId, dateLocal),
  });
  components.push(control);
  if (time.fastForward) {
    // The replay's switch from shadow to the configured modes: what a reload of the file does.
    time.fastForward.onActivate = async () => {
      configInForce = config;
      await control.reconfigure(controlSetup(config));
      savingsViews.reconfigure(config);
    };
  }
  const cmd = wireCommands({
    config: inForce,
    db: storage.database.db,
    bus,
    clock: time.clock,
    scheduler: time.scheduler,
    log,
    control,
    modes: ops.modes,
    alerts: ops.alerts,
    meters: ingest,
    sensors,
    probeStore: () => stores.settings.set('health.storeProbe', String(time.clock.now())),
  });
  components.push(...cmd.components);
  const ha = wireHomeAssistant({
    config,
    bus,
    clock: time.clock,
    scheduler: time.scheduler,
    log: log.child({ component: 'home-assistant' }),
    commands: cmd.commands,
    control,
    modeOf: (siteId, spaceId) => ops.modes.modeOf(siteId, spaceId).mode,
    alerts: ops.alerts,
    intervals: stores.intervals,
    ledger: stores.ledger,
    audit: stores.setpointAudit,
  });
  if (ha) components.push(ha);

  if (config.simulator.enabled) {
    // The simulator is a separate MQTT client, exactly as real meters are.
    const simBus = new MqttBus(
      { ...busOptions, clientId: `${config.mqtt.clientId}-simulator`, persistentSession: false },
      time.clock,
      log.child({ component: 'simulator-mqtt' }),
    );
    components.push(simBus);
    if (time.fastForward) {
      const sync = new ReplaySync(bus, simBus, config.mqtt.topicPrefix, log.child({ component: 'clock' }));
      components.push(
        component(
          'replay-sync',
          () => sync.start(),
          () => sync.stop(),
        ),
      );
      time.fastForward.settle = () => sync.settle();
    }
    components.push(
      new CommunitySimulator({
        config,
        clock: time.clock,
        scheduler: time.scheduler,
        bus: simBus,
        log: log.child({ component: 'simulator' }),
      }),
    );
  }

  if (time.clock instanceof ManualClock) {
    const clock = time.clock;
    const saveTime = () => stores.settings.set(SIMULATED_TIME_KEY, String(clock.now()));
    time.scheduler.schedule('save-simulated-time', { everyMinutes: 15 }, saveTime);
    components.push(component('simulated-time', () => undefined, saveTime));
  }
  components.push(...time.components(bus));

  if (options.watchConfig ?? true) {
    const configLog = log.child({ component: 'config' });
    // Every service that uses the file's spaces, calendars, tariffs and designs, in dependency order.
    const reloader = new ConfigReloader({
      file: options.configFile,
      running: () => configInForce,
      commit: (next) => {
        configInForce = next;
      },
      log: configLog,
      reloads: ops.reloads,
      steps: [
        {
          name: 'ledger-days',
          apply: (c) => {
            zones = c.sites;
            stores.ledger.realignDays();
          },
        },
        {
          name: 'ingest',
          apply: (c) => ingest.reconfigure({ sites: c.sites, rawRetentionDays: c.storage.rawRetentionDays }),
        },
        { name: 'sensors', apply: (c) => sensors.reconfigure(sensorConfig(c)) },
        { name: 'forecast', apply: (c) => forecast.reconfigure({ sites: c.sites, forecast: c.forecast }) },
        { name: 'control', apply: (c) => control.reconfigure(controlSetup(c)) },
        { name: 'savings', apply: (c) => savingsViews.reconfigure(c) },
        { name: 'home-assistant', apply: (c) => ha?.reconfigure(c.sites) },
      ],
    });
    components.push(
      new ConfigFileWatcher(
        options.configFile,
        (result) => {
          if (!result.ok) {
            for (const error of result.errors) configLog.warn({ code: error.code }, error.message);
            configLog.warn({ file: options.configFile }, 'config change rejected; the running config stays');
            ops.reloads.refused(result.errors);
            return;
          }
          void reloader.reload(result.config);
        },
        { initial: config },
      ),
    );
  }
  components.push(
    component(
      'scheduler',
      () => undefined,
      () => time.scheduler.stop(),
    ),
  );

  // Last, so it starts after the services and stops first: no request meets a stopped service.
  const http = wireHttp({
    config,
    configFile: options.configFile,
    configInForce: inForce.current,
    db: storage.database.db,
    clock: time.clock,
    log: log.child({ component: 'http' }),
    logger: rootLogger.child({ component: 'http' }),
    control,
    ingest,
    sensors,
    savings: savingsViews.savingsView,
    comfort: savingsViews.comfortView,
    commands: cmd.commands,
    recentCommands: cmd.recentCommands,
    alerts: ops.alerts,
    lastRefusedReload: () => ops.reloads.lastRefusedReload(),
    mqttConnected: () => bus.connected,
    fits: fitRunner,
    registerWeb,
  });
  if (http) components.push(http.component);

  const app = createApp(components, log);
  await app.start();

  const spaces = config.sites.reduce((n, s) => n + s.spaces.length, 0);
  const meters = config.sites.reduce((n, s) => n + s.spaces.reduce((m, sp) => m + sp.meters.length, 0), 0);
  const banner = [
    'QuietWatt is running',
    `  config     ${options.configFile} (${config.sites.length} site(s), ${spaces} spaces, ${meters} meters)`,
    `  broker     ${config.mqtt.url === 'embedded' ? `embedded, ${brokerUrl}` : redactUrl(brokerUrl)}`,
    `  storage    ${storage.database.path}`,
    `  clock      ${time.describe}`,
    `  simulator  ${config.simulator.enabled ? `on (seed ${config.simulator.seed}), publishing as real meters over MQTT` : 'off'}`,
    ...(http ? [`  http       ${http.server.url()} (API tokens: ${tokensFileOf(config)})`] : []),
    ...influx.banner,
  ];
  return {
    banner,
    ingest,
    sensors,
    forecast,
    savings,
    savingsView: savingsViews.savingsView,
    comfortView: savingsViews.comfortView,
    commands: cmd.commands,
    alerts: ops.alerts,
    httpUrl: http?.server.url(),
    modes: ops.modes,
    recentCommands: cmd.recentCommands,
    lastRefusedReload: () => ops.reloads.lastRefusedReload(),
    control,
    clock: time.clock,
    stop: () => app.stop(),
  };
}

/**
 * The time base, once the store is known to fit it: under the lockstep clock a store with data
 * after `clock.start` is refused (the store is closed again before the error leaves).
 */
function timeBaseOverStore(
  config: Readonly<QuietWattConfig>,
  storage: SqliteStorage,
  storageDir: string,
  realNow: () => number,
  log: Logger,
): TimeBase {
  const savedSimulatedMs = storage.stores.settings.get(SIMULATED_TIME_KEY);
  try {
    if (config.clock.source === 'mqtt') {
      const saved = Number(savedSimulatedMs);
      const newest = newestStoredDataMs(storage.database.db);
      refuseStoreAheadOfClock({
        clockStartMs: mqttClockStartMs(config, realNow),
        newestStoredMs: Number.isFinite(saved) ? Math.max(saved, newest ?? saved) : newest,
        storageDir,
      });
    }
    return buildTimeBase(config, savedSimulatedMs, realNow, log);
  } catch (error) {
    storage.database.close();
    throw error;
  }
}

/** The schema requires a start for the lockstep clock: the bench's time, not the wall clock's. */
function mqttClockStartMs(config: Readonly<QuietWattConfig>, realNow: () => number): number {
  return config.clock.start ? Date.parse(config.clock.start) : realNow();
}

function buildTimeBase(
  config: Readonly<QuietWattConfig>,
  savedSimulatedMs: string | undefined,
  realNow: () => number,
  log: Logger,
): TimeBase {
  if (config.clock.source === 'system') {
    return {
      clock: new SystemClock(),
      scheduler: new CronScheduler(log.child({ component: 'scheduler' })),
      components: () => [],
      describe: 'wall-clock time',
    };
  }
  if (config.clock.source === 'mqtt') {
    const topic = config.clock.topic ?? `${config.mqtt.topicPrefix}/clock`;
    const clock = new ManualClock(mqttClockStartMs(config, realNow));
    const scheduler = new SimulatedScheduler(clock, log.child({ component: 'scheduler' }));
    return {
      clock,
      scheduler,
      components: (bus) => [
        new LockstepDriver(topic, bus, scheduler, clock, log.child({ component: 'clock' })),
      ],
      describe: `lockstep, following time steps on ${topic} (acknowledged on ${topic}/ack)`,
    };
  }
  // Accelerated: continue from where the last run stopped, so stored data never runs ahead of the clock.
  const configuredStart = config.clock.start ? Date.parse(config.clock.start) : realNow();
  const saved = savedSimulatedMs === undefined ? Number.NaN : Number(savedSimulatedMs);
  const ff = fastForwardBase(config, saved, realNow, log);
  if (ff) return { ...ff, components: () => [ff.driver], fastForward: ff.driver, replayOutcome: ff.outcome };
  const startMs = Number.isFinite(saved) ? Math.max(saved, configuredStart) : configuredStart;
  const clock = new ManualClock(startMs);
  const scheduler = new SimulatedScheduler(clock, log.child({ component: 'scheduler' }));
  const driver = new AcceleratedDriver(
    new AcceleratedClock(startMs, config.clock.speed, realNow),
    scheduler,
    log.child({ component: 'clock' }),
  );
  return {
    clock,
    scheduler,
    components: () => [driver],
    describe: `accelerated x${config.clock.speed} (simulated time from ${new Date(startMs).toISOString()})`,
  };
}
