import type { ManualClock } from '../../adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../adapters/scheduler/simulated-scheduler.js';
import { WorkerLpSolver } from '../../adapters/solver/worker-lp-solver.js';
import { createSqliteStores, openDatabase, type SqliteDatabase } from '../../adapters/sqlite/index.js';
import { SqliteSensorStore } from '../../adapters/sqlite/sensor-store.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import type { HourlyForecastView } from '../../ports/control-inputs.js';
import type { Logger } from '../../ports/logger.js';
import type { MessageBus } from '../../ports/message-bus.js';
import type { AlertSink } from '../../ports/operations.js';
import type { SetpointAuditEntry } from '../../ports/stores.js';
import type { ControlSetup } from '../../services/control/catalogue.js';
import { ControlService } from '../../services/control/control-service.js';
import { OutdoorForecastService } from '../../services/forecast/outdoor-forecast-service.js';
import { SensorService } from '../../services/sensors/sensor-service.js';
import { PredictionErrors } from './prediction-errors.js';

/** A logger that drops everything: the bench prints its own figures. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

export interface ServiceArmOptions {
  /** `predictive`: the linear program where a space has one, as the service runs by default; `rules`: the rules only. */
  readonly planner: 'predictive' | 'rules';
}

export interface ServiceArmStats {
  readonly published: number;
  readonly acknowledged: number;
  readonly overridesSeen: number;
}

/**
 * QuietWatt's own services for the savings bench: the sensor service and the control service
 * (planner, safety layer, dispatcher, audit in an in-memory SQLite), on the bench's bus, manual
 * clock and a simulated scheduler, so weeks run in minutes. The bench publishes sensor readings but
 * no meter readings, so meters are reported alive; devices count as commissioned.
 *
 * As on a real site, the control service first runs in shadow mode through the learning days (it
 * plans and learns the spaces' thermal rates and occupancy, publishing nothing), and is then switched
 * to active by a configuration reload.
 */
export class ServiceArm {
  private readonly db: SqliteDatabase;
  private readonly scheduler: SimulatedScheduler;
  private readonly sensors: SensorService;
  private readonly control: ControlService;
  private published = 0;
  private readonly setup: ControlSetup;
  private readonly stores: ReturnType<typeof createSqliteStores>;
  private readonly solver: WorkerLpSolver | undefined;
  private readonly outdoor: OutdoorForecastService;
  private readonly outdoorForecasts = new Map<string, HourlyForecastView>();
  private readonly sensorStore: SqliteSensorStore;
  private readonly indoorSensors: readonly { siteId: string; spaceId: string; sensorId: string }[];
  private readonly predictions = new PredictionErrors();

  constructor(
    config: QuietWattConfig,
    private readonly bus: MessageBus,
    private readonly clock: ManualClock,
    /** Sees every message the control service publishes (bounds checks). */
    onPublish?: (topic: string, payload: string) => void,
    /** Receives the alerts the control service raises and clears. */
    alerts?: AlertSink,
    options: ServiceArmOptions = { planner: 'predictive' },
  ) {
    this.db = openDatabase(':memory:');
    const stores = createSqliteStores(this.db.db);
    this.stores = stores;
    const sensorStore = new SqliteSensorStore(this.db.db);
    this.scheduler = new SimulatedScheduler(clock);
    this.setup = {
      sites: config.sites,
      schedules: config.schedules,
      control: { ...config.control, requireCommissioning: false },
      prefix: config.mqtt.topicPrefix,
      tariffs: config.tariffs,
    };
    const countingBus: MessageBus = {
      publish: (topic, payload, options) => {
        this.published++;
        onPublish?.(topic, typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
        return bus.publish(topic, payload, options);
      },
      subscribe: (filters, handler) => bus.subscribe(filters, handler),
      unsubscribe: (filters) => bus.unsubscribe(filters),
    };
    if (options.planner === 'predictive') this.solver = new WorkerLpSolver();
    // The site's outdoor forecast as the service makes it without a forecast topic: learned from
    // its own outdoor sensor history, refreshed every hour and scored against what was measured.
    this.outdoor = new OutdoorForecastService({
      bus,
      clock,
      log: silentLogger,
      sites: config.sites,
      temperature: (siteId, fromMs, toMs) => sensorStore.outdoorTemperatureHourly(siteId, fromMs, toMs),
    });
    this.sensorStore = sensorStore;
    this.sensors = new SensorService({
      bus,
      clock,
      log: silentLogger,
      scheduler: this.scheduler,
      store: sensorStore,
      config: { sites: config.sites, staleAfterMinutes: config.control.staleAfterMinutes },
    });
    this.control = new ControlService({
      bus: countingBus,
      clock,
      scheduler: this.scheduler,
      log: silentLogger,
      ...(alerts ? { alerts } : {}),
      audit: stores.setpointAudit,
      settings: stores.settings,
      setup: { ...this.setup, control: { ...this.setup.control, defaultMode: 'shadow', spaces: [] } },
      sensors: this.sensors,
      meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: 1 }) },
      occupancyHistory: (siteId, spaceId, fromMs, toMs) =>
        sensorStore.occupancyFractionFor({ siteId, spaceId }, fromMs, toMs, 15),
      forecasts: {
        occupancy: () => undefined,
        outdoorTemperature: (siteId) => this.outdoorForecasts.get(siteId),
      },
      ...(this.solver ? { hvacSolver: this.solver } : {}),
    });
    this.indoorSensors = config.sites.flatMap((site) =>
      site.spaces.flatMap((space) =>
        space.sensors
          .filter((x) => x.kind === 'indoor-temperature')
          .slice(0, 1)
          .map((x) => ({ siteId: site.id, spaceId: space.id, sensorId: x.id })),
      ),
    );
  }

  /** The outdoor forecast of each site for the next 36 h, as the control service reads it. */
  private async refreshOutdoor(): Promise<void> {
    const fromMs = Math.floor(this.clock.now() / 3_600_000) * 3_600_000;
    for (const siteId of new Set(this.setup.sites.map((x) => x.id))) {
      const f = await this.outdoor.forecast(siteId, fromMs, 36);
      this.outdoorForecasts.set(siteId, { tsMs: f.tsMs, values: f.temperatureC });
    }
  }

  /** Each space's plan at the top of the hour: its predicted indoor temperatures, scored later. */
  private recordPredictions(): void {
    for (const x of this.indoorSensors) {
      const planned = this.control.planOf(x.siteId, x.spaceId)?.plan;
      if (!planned || planned.predictedTempC.length === 0) continue;
      this.predictions.record(
        `${x.siteId}/${x.spaceId}`,
        planned.startMs,
        planned.slotMs,
        planned.predictedTempC,
      );
    }
  }

  /** Error of the thermal model's 24-hour predictions per space, against the indoor sensors. */
  predictionErrors(): ReturnType<PredictionErrors['score']> {
    return this.predictions.score((key, fromMs, toMs) => {
      const sensor = this.indoorSensors.find((x) => `${x.siteId}/${x.spaceId}` === key);
      return sensor ? this.sensorStore.samplesFor(sensor.sensorId, fromMs, toMs) : [];
    });
  }

  /** Error of the outdoor forecasts handed out, per site. */
  outdoorForecastErrors() {
    return this.outdoor.status().map((x) => ({ siteId: x.siteId, ...x.error }));
  }

  /** From the start of the learning period: sensors recorded, control in shadow mode. */
  async listen(): Promise<void> {
    await this.sensors.start();
    await this.outdoor.start();
    await this.refreshOutdoor();
    this.scheduler.schedule('bench-outdoor-forecast', { everyMinutes: 60 }, () => this.refreshOutdoor());
    await this.control.start();
    await settle();
  }

  /** The control service takes over at the current clock time, in the bench config's own modes. */
  async activate(): Promise<void> {
    await this.control.reconfigure(this.setup);
    await settle();
    this.scheduler.schedule('bench-predictions', { everyMinutes: 60 }, () => this.recordPredictions());
  }

  /** Runs the services' jobs due up to `tMs` and lets their publications land. */
  async advanceTo(tMs: number): Promise<void> {
    await this.scheduler.advanceTo(tMs);
    await settle();
  }

  /** The setpoint audit log from `fromMs` on (decisions in shadow mode included), by decision time. */
  audit(fromMs: number): SetpointAuditEntry[] {
    return this.stores.setpointAudit.query({ fromMs, toMs: Number.MAX_SAFE_INTEGER });
  }

  stats(): ServiceArmStats {
    const status = this.control.status();
    return {
      published: this.published,
      acknowledged: status.filter((s) => s.ack === 'acknowledged').length,
      overridesSeen: status.filter((s) => s.overrideUntilMs !== undefined).length,
    };
  }

  async stop(): Promise<void> {
    await this.control.stop();
    await this.solver?.close();
    await this.outdoor.stop();
    await this.sensors.stop();
    await this.scheduler.stop();
    this.db.close();
    void this.bus;
  }
}

/** Lets every promise chain started by a message or a job run to its end (all I/O here is synchronous). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}
