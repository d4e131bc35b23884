import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { SensorKind } from '../../../src/config/schema/sensor.js';
import { type DeviceRecord, initialRecord } from '../../../src/domain/safety/device-record.js';
import type {
  MeterActivityView,
  OccupancyListener,
  SensorFreshnessView,
  SensorValueView,
  SensorView,
} from '../../../src/ports/control-inputs.js';
import type { MessageBus, MessageHandler, PublishOptions } from '../../../src/ports/message-bus.js';
import { catalogue } from '../../../src/services/control/catalogue.js';
import { ControlService } from '../../../src/services/control/control-service.js';
import type { DeviceRuntime } from '../../../src/services/control/dispatcher.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';

export const START_MS = Date.parse('2026-07-15T04:00:00Z'); // 12:00 in Shanghai, a Wednesday
export const MINUTE = 60_000;

export interface Published {
  readonly topic: string;
  readonly payload: string;
  readonly options: PublishOptions;
}

/** A MessageBus in memory: records publishes, delivers injected messages, can be made to fail. */
export class FakeBus implements MessageBus {
  readonly published: Published[] = [];
  failing = false;
  /** Called on every successful publish (tests check the service's state at that moment). */
  tap: ((p: Published) => void) | undefined;
  private handlers: { filters: readonly string[]; handler: MessageHandler }[] = [];

  constructor(private readonly clock: { now(): number }) {}

  async publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    if (this.failing) throw new Error('broker unreachable');
    const p = {
      topic,
      payload: typeof payload === 'string' ? payload : Buffer.from(payload).toString(),
      options,
    };
    this.published.push(p);
    this.tap?.(p);
  }

  async subscribe(topicFilters: readonly string[], handler: MessageHandler): Promise<void> {
    this.handlers.push({ filters: topicFilters, handler });
  }

  async unsubscribe(topicFilters: readonly string[]): Promise<void> {
    this.handlers = this.handlers.filter((h) => !h.filters.every((f) => topicFilters.includes(f)));
  }

  deliver(topic: string, payload: string, retained = false): void {
    for (const h of this.handlers) {
      if (h.filters.includes(topic))
        h.handler({
          topic,
          payload: new TextEncoder().encode(payload),
          retained,
          receivedAtMs: this.clock.now(),
        });
    }
  }

  on(topic: string): Published[] {
    return this.published.filter((p) => p.topic === topic);
  }
}

/** Sensors in memory: values set by the test, occupancy events emitted synchronously. */
export class FakeSensors implements SensorView {
  readonly values = new Map<string, SensorValueView>();
  private readonly listeners = new Set<OccupancyListener>();

  latest(siteId: string, spaceId: string | null, kind: SensorKind): SensorValueView | undefined {
    return this.values.get(`${siteId}/${spaceId}/${kind}`);
  }

  freshness(): SensorFreshnessView[] {
    return [];
  }

  onOccupancy(listener: OccupancyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(siteId: string, spaceId: string, occupied: boolean, tsMs: number): void {
    this.values.set(`${siteId}/${spaceId}/occupancy`, {
      sensorId: 'm',
      value: occupied ? 1 : 0,
      tsMs,
      stale: false,
    });
    for (const l of this.listeners) l(siteId, spaceId, occupied, tsMs);
  }
}

/**
 * A lobby with an occupancy and an indoor temperature sensor, an HVAC meter and one unit its
 * schedule cools to 24 °C (07:00-22:00 unless told), under `control` on top of active mode.
 */
export function hvacLobbyConfig(o: { from?: string; to?: string; control?: Record<string, unknown> } = {}) {
  return QuietWattConfig.parse({
    control: { defaultMode: 'active', requireCommissioning: false, ...o.control },
    schedules: [
      {
        id: 'lobby-hvac',
        kind: 'hvac',
        blocks: [{ from: o.from ?? '07:00', to: o.to ?? '22:00', mode: 'cool', setpointC: 24 }],
      },
    ],
    sites: [
      {
        id: 'site',
        name: 'Site',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'lobby',
            type: 'lobby',
            areaM2: 100,
            meters: [{ id: 'lobby-hvac-meter', topic: 'm/lobby/hvac', measures: 'hvac' }],
            sensors: [
              { id: 'lobby-motion', kind: 'occupancy', topic: 's/lobby/motion' },
              { id: 'lobby-temp', kind: 'indoor-temperature', topic: 's/lobby/temp' },
            ],
            devices: [{ id: 'lobby-ac', kind: 'hvac', schedule: 'lobby-hvac', ratedPowerW: 5000 }],
          },
        ],
      },
    ],
  });
}

export function testConfig(control: Record<string, unknown> = {}) {
  return QuietWattConfig.parse({
    control: { defaultMode: 'active', requireCommissioning: false, ...control },
    schedules: [
      { id: 'lobby-lighting', kind: 'lighting', defaultLevelPct: 40, blocks: [] },
      { id: 'garage-lighting', kind: 'lighting', defaultLevelPct: 100, blocks: [] },
    ],
    sites: [
      {
        id: 'site',
        name: 'Site',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'lobby',
            type: 'lobby',
            areaM2: 100,
            meters: [{ id: 'lobby-meter', topic: 'm/lobby', measures: 'lighting' }],
            sensors: [{ id: 'lobby-motion', kind: 'occupancy', topic: 's/lobby' }],
            devices: [
              {
                id: 'lobby-lights',
                kind: 'lighting',
                schedule: 'lobby-lighting',
                ratedPowerW: 500,
                limits: { minLevelPct: 30 },
              },
            ],
          },
          {
            id: 'garage',
            type: 'garage',
            areaM2: 1000,
            meters: [{ id: 'garage-meter', topic: 'm/garage', measures: 'lighting' }],
            devices: [
              {
                id: 'garage-z2m',
                kind: 'lighting',
                schedule: 'garage-lighting',
                ratedPowerW: 2000,
                output: 'zigbee2mqtt',
              },
              { id: 'garage-emergency', kind: 'emergency-lighting', ratedPowerW: 100 },
            ],
          },
        ],
      },
    ],
  });
}

/** A gym whose lights' schedule is off from 22:00 to 06:00, with one change-only occupancy sensor. */
export const GYM_OCCUPANCY_SENSOR = 'gym-occupancy';
export function gymConfig() {
  return QuietWattConfig.parse({
    control: { defaultMode: 'active', requireCommissioning: false },
    schedules: [
      {
        id: 'gym-lighting',
        kind: 'lighting',
        defaultLevelPct: 0,
        blocks: [{ from: '06:00', to: '22:00', levelPct: 100 }],
      },
    ],
    sites: [
      {
        id: 'site',
        name: 'Site',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'gym',
            type: 'gym',
            areaM2: 100,
            meters: [{ id: 'gym-meter', topic: 'm/gym', measures: 'lighting' }],
            sensors: [{ id: GYM_OCCUPANCY_SENSOR, kind: 'occupancy', topic: 's/gym' }],
            devices: [{ id: 'gym-lights', kind: 'lighting', schedule: 'gym-lighting', ratedPowerW: 900 }],
          },
        ],
      },
    ],
  });
}

export const LOBBY_SET = 'quietwatt/site/lobby/lobby-lights/set';
export const LOBBY_STATE = 'quietwatt/site/lobby/lobby-lights/state';
export const Z2M_SET = 'zigbee2mqtt/garage-z2m/set';

export function rig(
  control: Record<string, unknown> = {},
  options: {
    audit?: MemorySetpointAuditStore;
    settings?: MemoryKeyValueStore;
    clock?: ManualClock;
    deps?: Partial<ConstructorParameters<typeof ControlService>[0]>;
  } = {},
) {
  const config = testConfig(control);
  const clock = options.clock ?? new ManualClock(START_MS);
  const scheduler = new SimulatedScheduler(clock);
  const bus = new FakeBus(clock);
  const sensors = new FakeSensors();
  // Alive meters read every time they are asked; a dead one keeps its last reading time.
  const meters = { alive: true, lastMs: START_MS, accepted: 0 };
  const meterView = (): MeterActivityView => {
    if (meters.alive) {
      meters.lastMs = clock.now();
      meters.accepted += 1;
    }
    return { lastReadingTsMs: meters.lastMs, accepted: meters.accepted };
  };
  const audit = options.audit ?? new MemorySetpointAuditStore();
  const settings = options.settings ?? new MemoryKeyValueStore();
  const log = captureLogger();
  const service = new ControlService({
    bus,
    clock,
    scheduler,
    log,
    audit,
    settings,
    setup: { sites: config.sites, schedules: config.schedules, control: config.control, prefix: 'quietwatt' },
    sensors,
    meters: { meter: () => meterView() },
    ...options.deps,
  });
  const advance = async (ms: number) => {
    await scheduler.advanceTo(clock.now() + ms);
    await settle();
  };
  return { config, clock, scheduler, bus, sensors, meters, audit, settings, log, service, advance };
}

/** Lets queued dispatches (promise chains) finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

/** The gym's lights (from `gymConfig()`) as a device runtime, with a record that starts fresh. */
export function gymLightsRuntime(record: Partial<DeviceRecord> = {}): DeviceRuntime {
  const config = gymConfig();
  const [space] = catalogue({
    sites: config.sites,
    schedules: config.schedules,
    control: config.control,
    prefix: 'qw',
  });
  const device = space?.devices[0];
  if (!device) throw new Error('the gym config has no lights');
  return { device, record: { ...initialRecord('gym-lights'), ...record }, queue: Promise.resolve() };
}
