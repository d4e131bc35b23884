import { SqliteInbox, sqliteAtomically } from '../adapters/sqlite/inbox-store.js';
import { SqliteSensorStore } from '../adapters/sqlite/sensor-store.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Component } from '../ports/component.js';
import type { MessageBus } from '../ports/message-bus.js';
import type { AlertSink } from '../ports/operations.js';
import { IngestService, LOADED_WRITE_SHARE, pendingLimitFor } from '../services/ingest/ingest-service.js';
import { IngestSummary } from '../services/reporting/ingest-summary.js';
import { SensorService } from '../services/sensors/sensor-service.js';
import type { WiringContext } from './context.js';
import type { InfluxWiring } from './influx.js';

/** What the meter and sensor services take from the config; a reload passes them the new one. */
export const ingestSetup = (c: Readonly<QuietWattConfig>) => ({
  sites: c.sites,
  rawRetentionDays: c.storage.rawRetentionDays,
});
export const sensorSetup = (c: Readonly<QuietWattConfig>) => ({
  sites: c.sites,
  rawRetentionDays: c.storage.rawRetentionDays,
  staleAfterMinutes: c.control.staleAfterMinutes,
});

export interface InboundWiring {
  readonly components: Component[];
  readonly ingest: IngestService;
  readonly sensors: SensorService;
  /** Stored sensor samples: occupancy and outdoor temperature histories for the models and control. */
  readonly sensorStore: SqliteSensorStore;
}

/** Meter and sensor readings in from MQTT, into SQLite (and the InfluxDB sink, if it runs). */
export function wireInbound(
  w: WiringContext,
  influx: InfluxWiring,
  bus: MessageBus,
  alerts: AlertSink,
): InboundWiring {
  const { config, stores } = w;
  const rejections = influx.taps.rejections(stores.rejections);
  // Buffered writes are an I/O matter: every `storage.flushEverySeconds` of wall-clock time, and once a
  // simulated minute under simulated time, where a 2 s period would mean hundreds of empty
  // transactions per bench step. On the wall clock a longer interval also ends when the stream pauses.
  const wallClock = config.clock.source === 'system';
  const flushEverySeconds = wallClock ? config.storage.flushEverySeconds : 60;
  // The bus keeps each reading and sample in the inbox until a flush stores it and deletes its row.
  const db = w.storage.database.db;
  const durable = { inbox: new SqliteInbox(db), atomically: sqliteAtomically(db) };
  const ingest = new IngestService({
    bus,
    flushEverySeconds,
    flushWhenQuiet: wallClock,
    // Sized by wall-clock rates: a simulated minute's flush keeps the default limit.
    ...(wallClock
      ? { maxPendingReadings: pendingLimitFor(flushEverySeconds), loadedWriteShare: LOADED_WRITE_SHARE }
      : {}),
    clock: w.clock,
    log: w.log.child({ component: 'ingest' }),
    scheduler: w.scheduler,
    readings: stores.readings,
    intervals: influx.taps.intervals(stores.intervals),
    meterState: stores.meterState,
    rejections,
    config: ingestSetup(config),
    maxPayloadBytes: config.mqtt.maxPayloadBytes,
    alerts,
    ...durable,
  });
  const sensorStore = new SqliteSensorStore(w.storage.database.db);
  const sensors = new SensorService({
    bus,
    flushEverySeconds,
    flushWhenQuiet: wallClock,
    clock: w.clock,
    log: w.log.child({ component: 'sensors' }),
    scheduler: w.scheduler,
    store: influx.taps.sensors(sensorStore),
    rejections,
    config: sensorSetup(config),
    maxPayloadBytes: config.mqtt.maxPayloadBytes,
    alerts,
    ...durable,
  });
  const summary = new IngestSummary(
    ingest,
    () => w.live.current().sites,
    w.scheduler,
    w.log.child({ component: 'summary' }),
  );
  return { components: [ingest, sensors, summary], ingest, sensors, sensorStore };
}
