import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { serviceCommandSecret } from '../../src/adapters/secrets/command-secret.js';
import { QuietWattConfig } from '../../src/config/schema/index.js';
import type { MessageBus } from '../../src/ports/message-bus.js';
import { ControlService } from '../../src/services/control/control-service.js';
import { IngestService } from '../../src/services/ingest/ingest-service.js';
import { CommandSequence } from '../../src/services/operations/command-sequence.js';
import { CommandService } from '../../src/services/operations/command-service.js';
import { MqttCommandChannel } from '../../src/services/operations/mqtt-commands.js';
import { SpaceModes } from '../../src/services/operations/space-modes.js';
import { SensorService } from '../../src/services/sensors/sensor-service.js';
import type { TestBroker } from '../helpers/broker.js';
import {
  MemoryIntervalStore,
  MemoryKeyValueStore,
  MemoryMeterStateStore,
  MemoryReadingStore,
  MemorySetpointAuditStore,
} from '../helpers/fakes/index.js';
import { MemoryAlertStore } from '../helpers/fakes/memory-alert-store.js';
import { MemoryCommandLogStore } from '../helpers/fakes/memory-command-log-store.js';
import { MemorySensorStore } from '../helpers/fakes/memory-sensor-store.js';
import { captureLogger } from '../helpers/logger.js';

/** 12:00 on a Wednesday in July, Shanghai time. */
export const START_MS = Date.parse('2026-07-15T04:00:00Z');
export const MINUTE = 60_000;

export interface Received {
  readonly topic: string;
  readonly payload: string;
  /** Simulated time when it arrived. */
  readonly atMs: number;
  /** Delivered from the broker's retained store at subscription, not published live. */
  readonly retained: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The test community: a lobby (native light), a garage (Zigbee2MQTT and Tasmota lights), a gym (native fan-only HVAC). */
export function rawConfig(url: string, prefix: string, clientId: string) {
  const tas = `${prefix.replace(/\//g, '-')}-garage-tas`;
  return {
    raw: {
      // The embedded test broker (aedes) speaks MQTT 3.1.1 only; Mosquitto in CI speaks 5.
      mqtt: { url, clientId, topicPrefix: prefix, protocolVersion: process.env.MQTT_URL ? 5 : 4 },
      storage: { dir: 'unused' },
      simulator: { enabled: false },
      control: {
        defaultMode: 'active',
        requireCommissioning: true,
        leaseMaxMinutes: 30,
        overrideHoldMinutes: 20,
        staleAfterMinutes: { meter: 30 },
        fireAlarm: { topic: `${prefix}/fire` },
      },
      schedules: [
        {
          id: 'lobby-lighting',
          kind: 'lighting',
          defaultLevelPct: 40,
          blocks: [{ from: '18:30', to: '23:00', levelPct: 100 }],
        },
        {
          id: 'garage-lighting',
          kind: 'lighting',
          defaultLevelPct: 100,
          blocks: [{ from: '23:30', to: '06:00', levelPct: 50 }],
        },
        { id: 'gym-hvac', kind: 'hvac', blocks: [{ from: '06:00', to: '22:00', mode: 'fan' }] },
      ],
      sites: [
        {
          id: 'site',
          name: 'Test site',
          timezone: 'Asia/Shanghai',
          spaces: [
            {
              id: 'lobby',
              type: 'lobby',
              areaM2: 100,
              meters: [
                { id: 'lobby-meter', topic: `${prefix}/meters/lobby`, format: 'json', measures: 'lighting' },
              ],
              sensors: [{ id: 'lobby-motion', kind: 'occupancy', topic: `${prefix}/sensors/lobby-motion` }],
              devices: [
                {
                  id: 'lobby-lights',
                  kind: 'lighting',
                  schedule: 'lobby-lighting',
                  ratedPowerW: 600,
                  limits: { minLevelPct: 30 },
                },
              ],
            },
            {
              id: 'garage',
              type: 'garage',
              areaM2: 2000,
              meters: [
                {
                  id: 'garage-meter',
                  topic: `${prefix}/meters/garage`,
                  format: 'json',
                  measures: 'lighting',
                },
              ],
              devices: [
                {
                  id: 'garage-z2m',
                  kind: 'lighting',
                  schedule: 'garage-lighting',
                  ratedPowerW: 3000,
                  output: 'zigbee2mqtt',
                  topic: `${prefix}/z2m/garage-lights`,
                },
                {
                  id: 'garage-tas',
                  kind: 'lighting',
                  schedule: 'garage-lighting',
                  ratedPowerW: 3000,
                  output: 'tasmota',
                  topic: tas,
                },
                { id: 'garage-emergency', kind: 'emergency-lighting', ratedPowerW: 200 },
              ],
            },
            {
              id: 'gym',
              type: 'gym',
              areaM2: 150,
              meters: [{ id: 'gym-meter', topic: `${prefix}/meters/gym`, format: 'json', measures: 'hvac' }],
              devices: [{ id: 'gym-ac', kind: 'hvac', schedule: 'gym-hvac', ratedPowerW: 5000 }],
            },
          ],
        },
      ],
    },
    topics: {
      lobbySet: `${prefix}/site/lobby/lobby-lights/set`,
      lobbyState: `${prefix}/site/lobby/lobby-lights/state`,
      gymSet: `${prefix}/site/gym/gym-ac/set`,
      gymState: `${prefix}/site/gym/gym-ac/state`,
      z2mSet: `${prefix}/z2m/garage-lights/set`,
      z2mState: `${prefix}/z2m/garage-lights`,
      tasCmnd: `cmnd/${tas}/`,
      tasState: `stat/${tas}/RESULT`,
      status: `${prefix}/status`,
      fire: `${prefix}/fire`,
      motion: `${prefix}/sensors/lobby-motion`,
      meters: [`${prefix}/meters/lobby`, `${prefix}/meters/garage`, `${prefix}/meters/gym`],
    },
  };
}

export type Topics = ReturnType<typeof rawConfig>['topics'];

/** Stores that outlive one service instance (a restart keeps them, like the SQLite file). */
export function persistentStores() {
  return {
    audit: new MemorySetpointAuditStore(),
    settings: new MemoryKeyValueStore(),
    commandLog: new MemoryCommandLogStore(),
    alerts: new MemoryAlertStore(),
  };
}

/**
 * One running QuietWatt control loop (ingest, sensors, control on one MQTT client) on simulated
 * time, plus a test client that plays the controllers and the meters and records every command.
 */
export async function startRig(
  broker: TestBroker,
  dir: string,
  label: string,
  options: {
    stores?: ReturnType<typeof persistentStores>;
    clock?: ManualClock;
    ids?: { prefix: string; clientId: string };
  } = {},
) {
  const ids = options.ids ?? broker.unique(label);
  const { raw, topics } = rawConfig(broker.url, ids.prefix, ids.clientId);
  // Signed MQTT commands: the CLI finds the service's secret file in this storage folder.
  const withCommands = {
    ...raw,
    mqtt: { ...raw.mqtt, commands: { enabled: true } },
    storage: { dir: join(dir, `${label}-store`) },
  };
  const configFile = join(dir, `${label}.yaml`);
  writeFileSync(configFile, stringify(withCommands));
  const config = QuietWattConfig.parse(withCommands);
  const clock = options.clock ?? new ManualClock(START_MS);
  const scheduler = new SimulatedScheduler(clock);
  const log = captureLogger();
  const stores = options.stores ?? persistentStores();
  const bus = new MqttBus(
    {
      url: broker.url,
      clientId: `${ids.clientId}-svc-${Math.random().toString(36).slice(2, 6)}`,
      // MQTT 5 against Mosquitto, so native setpoints carry their message expiry interval.
      protocolVersion: process.env.MQTT_URL ? 5 : 4,
      persistentSession: false,
      sessionExpirySeconds: 0,
      availability: { topic: topics.status, online: 'online', offline: 'offline' },
    },
    clock,
    log,
  );
  const ingest = new IngestService({
    bus,
    clock,
    log,
    scheduler,
    readings: new MemoryReadingStore(),
    intervals: new MemoryIntervalStore(),
    meterState: new MemoryMeterStateStore(),
    config: { sites: config.sites },
    maxPayloadBytes: 4096,
  });
  const sensors = new SensorService({
    bus,
    clock,
    log,
    scheduler,
    store: new MemorySensorStore(),
    config: { sites: config.sites, staleAfterMinutes: config.control.staleAfterMinutes },
  });
  // Counts what the service publishes to the device topics, so each step can wait until the test
  // client has received all of it (times on received messages are then exact, even under load).
  const isCommandTopic = (topic: string) =>
    topic === topics.lobbySet ||
    topic === topics.gymSet ||
    topic === topics.z2mSet ||
    topic.startsWith(topics.tasCmnd);
  const sent = { commands: 0 };
  const countingBus: MessageBus = {
    publish: async (topic, payload, options) => {
      await bus.publish(topic, payload, options);
      if (isCommandTopic(topic)) sent.commands += 1;
    },
    subscribe: (filters, handler) => bus.subscribe(filters, handler),
    unsubscribe: (filters) => bus.unsubscribe(filters),
  };
  const modes = new SpaceModes(stores.settings, () => config.control, log);
  const control = new ControlService({
    modes,
    bus: countingBus,
    clock,
    scheduler,
    log,
    audit: stores.audit,
    settings: stores.settings,
    setup: { sites: config.sites, schedules: config.schedules, control: config.control, prefix: ids.prefix },
    sensors,
    meters: ingest,
    commissioningTimeoutMs: 5 * MINUTE,
  });
  // Operator commands over MQTT, answered on the response topic (quietwatt release, commission).
  const commands = new CommandService({
    clock,
    log,
    store: stores.commandLog,
    modes,
    control,
    sites: () => config.sites,
    // Real time: long enough for the check to finish on a loaded machine, well inside the test's.
    commissionWaitMs: 15_000,
  });
  const channel = new MqttCommandChannel({
    bus,
    clock,
    log,
    handler: commands,
    prefix: ids.prefix,
    auth: { secret: serviceCommandSecret(config, {}).secret, sequence: new CommandSequence(stores.settings) },
  });

  // The test client: controllers that obey and report, meters that read, and a recorder.
  const received: Received[] = [];
  const live = { commands: 0 };
  const behaviour = { ack: true, meters: true, override: false };
  let energyKWh = 0;
  let lastTsMs = 0;
  const client = await mqtt.connectAsync(broker.url, { clientId: `${ids.clientId}-bench`, clean: true });
  const acceptedReadings = () =>
    ['lobby-meter', 'garage-meter', 'gym-meter'].reduce((n, id) => n + (ingest.meter(id)?.accepted ?? 0), 0);
  const publishMeters = async () => {
    if (!behaviour.meters) return;
    // 10 Wh a reading: readings can come a second apart, and 0.1 kWh a second (360 kW) is refused as absurd.
    energyKWh = Math.round((energyKWh + 0.01) * 100) / 100;
    // One reading per timestamp: the same time with another value would be a conflicting duplicate.
    lastTsMs = Math.max(clock.now(), lastTsMs + 1000);
    const body = JSON.stringify({ ts: new Date(lastTsMs).toISOString(), energyKWh });
    for (const t of topics.meters) await client.publishAsync(t, body, { qos: 1 });
  };
  client.on('message', (topic, payload, packet) => {
    const text = payload.toString('utf8');
    const isCommand =
      topic === topics.lobbySet ||
      topic === topics.gymSet ||
      topic === topics.z2mSet ||
      topic.startsWith(topics.tasCmnd);
    if (!isCommand && topic !== topics.status) return;
    received.push({ topic, payload: text, atMs: clock.now(), retained: packet.retain });
    if (isCommand && !packet.retain) live.commands += 1;
    if (!isCommand || text === '') return;
    void (async () => {
      // The meters move before the controller reports, as on a real circuit: wait (briefly) until the
      // service has taken the readings, so that a commissioning check sees both in that order.
      const before = acceptedReadings();
      await publishMeters();
      const waitedFrom = Date.now();
      while (
        behaviour.meters &&
        acceptedReadings() < before + topics.meters.length &&
        Date.now() - waitedFrom < 2000
      )
        await sleep(5);
      if (topic === topics.lobbySet || topic === topics.gymSet) {
        if (!behaviour.ack) return;
        const id = (JSON.parse(text) as { id: string }).id;
        const state = topic === topics.lobbySet ? topics.lobbyState : topics.gymState;
        await client.publishAsync(
          state,
          JSON.stringify({ contract: 1, appliedSetpointId: id, override: behaviour.override }),
          { qos: 1 },
        );
      } else if (topic === topics.z2mSet) {
        await client.publishAsync(topics.z2mState, text, { qos: 1 });
      } else {
        await client.publishAsync(topics.tasState, JSON.stringify({ Dimmer: Number(text) || 0 }), { qos: 1 });
      }
    })().catch((error: unknown) => {
      // A reply still on its way when the rig stops has nowhere to go; anything else is a real failure.
      if (!client.disconnecting && !client.disconnected) throw error;
    });
  });
  await client.subscribeAsync(
    [topics.lobbySet, topics.gymSet, topics.z2mSet, `${topics.tasCmnd}#`, topics.status],
    { qos: 1 },
  );

  await bus.start();
  await ingest.start();
  await sensors.start();
  await control.start();
  await channel.start();

  /** Advances simulated time in one-minute steps, with meter readings and time for replies. */
  /** Waits until the test client has received every command the service has published. */
  const drain = async () => {
    const started = Date.now();
    while (live.commands < sent.commands && Date.now() - started < 3000) await sleep(5);
  };
  const advance = async (ms: number, stepMs = MINUTE) => {
    await drain();
    const end = clock.now() + ms;
    while (clock.now() < end) {
      await scheduler.advanceTo(Math.min(end, clock.now() + stepMs));
      await drain();
      await publishMeters();
      // Time for controller replies (acks, meter readings) to reach the service.
      await sleep(30);
      await drain();
    }
    await sleep(40);
    await drain();
  };
  const waitFor = async <T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> => {
    const started = Date.now();
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
      await sleep(20);
    }
  };

  return {
    config,
    configFile,
    topics,
    ids,
    clock,
    scheduler,
    log,
    stores,
    control,
    modes,
    commands,
    ingest,
    bus,
    client,
    received,
    behaviour,
    advance,
    waitFor,
    sleep,
    publish: (topic: string, payload: string, retain = false) =>
      client.publishAsync(topic, payload, { qos: 1, retain }),
    /** Messages on a topic (or under a topic prefix) since index `from`. */
    on: (topic: string, from = 0) =>
      received.slice(from).filter((m) => !m.retained && (m.topic === topic || m.topic.startsWith(topic))),
    /** A clean stop: control hands back, then the bus says offline. */
    stop: async () => {
      await scheduler.stop();
      await channel.stop();
      await control.stop();
      await drain();
      await sensors.stop();
      await ingest.stop();
      await bus.stop();
      await sleep(150);
      await client.endAsync();
    },
    /** A crash: nothing handed back; the bus just goes away. */
    crash: async () => {
      await scheduler.stop();
      await bus.stop();
      await client.endAsync();
    },
  };
}

export type Rig = Awaited<ReturnType<typeof startRig>>;
