import type { QuietWattConfig } from '../../config/schema/index.js';
import type { SpaceConfig } from '../../config/schema/site.js';
import { lightLevelNowPct, runningLevelPct } from '../../domain/control/light-level.js';
import { type DeviceWant, nextDeviceValue, recordSent } from '../../domain/control/next-value.js';
import {
  occupancyRaises,
  occupiedReading,
  occupiedSinceAfter,
  type Presence,
  type PresenceLevels,
  presenceAtTick,
  presenceDaylightPct,
} from '../../domain/control/presence.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import {
  type PresenceChange,
  planInputFromConfig,
  planSpace,
  SLOT_MS,
  type SpacePlan,
  slotPrices,
  slotStartMs,
  type ThermalRates,
} from '../../domain/planning/index.js';
import { outputTargetOf, type SafetyContext, safetyContextOf } from '../../domain/safety/context.js';
import {
  type DeviceRecord,
  initialRecord,
  recordCommissioning,
  recordStateReport,
} from '../../domain/safety/device-record.js';
import { messagesForOutcome } from '../../domain/safety/emit.js';
import { type SetpointValue, StateReport, stateTopic } from '../../domain/setpoints/contract.js';
import type { OutputTarget } from '../../domain/setpoints/encoded.js';
import type { Tariff } from '../../domain/tariff/types.js';
import type { Clock } from '../../ports/clock.js';
import type { MessageBus } from '../../ports/message-bus.js';
import {
  dailyOccupancyProfile,
  HISTORY_DAYS,
  type ProfileCache,
  persistenceForecast,
} from './plan-inputs.js';
import { readSensor, type SensorRoute, sensorRoutes } from './sensor-inputs.js';

const DAY_MS = 86_400_000;

interface SpaceEntry {
  readonly key: string;
  readonly siteId: string;
  readonly timezone: string;
  /** The site's position, when known: daylight read at dusk is scaled by the sun since. */
  readonly position?: { readonly latitude: number; readonly longitude: number };
  readonly config: SpaceConfig;
  readonly levels: PresenceLevels;
  /** Occupancy changes of the last weeks, for the occupancy profile. */
  changes: PresenceChange[];
  /** Latest occupancy reading. */
  occupancy?: { readonly value: number; readonly tsMs: number };
  occupied?: boolean;
  lastPresenceMs?: number;
  /** Presence holds the lights at least at a level until then (as in the service). */
  hold?: Presence | undefined;
  /** Since when the sensor has said occupied without a break (after-hours comfort). */
  occupiedSinceMs?: number | undefined;
  indoorC?: number;
  illuminanceLux?: number;
  illuminanceTsMs?: number;
  /** Illuminance of the lights at 100 % with no daylight, lx (measured at commissioning); enables daylight use. */
  fullOutputLux?: number;
  plan?: SpacePlan;
  planId?: string;
  rates?: ThermalRates;
  profileCache?: ProfileCache;
}

interface DeviceEntry {
  readonly id: string;
  readonly space: SpaceEntry;
  readonly ctx: SafetyContext;
  readonly target: OutputTarget;
  record: DeviceRecord;
}

export interface DispatcherStats {
  plans: number;
  published: number;
  raises: number;
  acknowledged: number;
  overridesSeen: number;
  outOfBounds: number;
}

const decoder = new TextDecoder();

/**
 * QuietWatt's control path for the savings bench, built from the pure core: every 15 minutes a
 * plan per space (planner), every minute each device's next value decided by `nextDeviceValue`
 * (the function the control service's dispatcher calls: plan, presence hold, safety layer),
 * encoded in the device's output format and published on the bus; occupancy messages raise the
 * lights at once; state reports acknowledge and start override holds. Inputs come only from the bus
 * (sensor messages, state reports), as in the service. Inactive it only listens (the learning
 * period before a run).
 */
export class PlannerDispatcher {
  active = false;
  readonly stats: DispatcherStats = {
    plans: 0,
    published: 0,
    raises: 0,
    acknowledged: 0,
    overridesSeen: 0,
    outOfBounds: 0,
  };
  private readonly spaces = new Map<string, SpaceEntry>();
  private readonly devices: DeviceEntry[] = [];
  private readonly routes: SensorRoute[];
  private readonly outdoor = new Map<string, Map<number, number>>();
  private seq = 0;

  constructor(
    private readonly config: QuietWattConfig,
    private readonly bus: MessageBus,
    private readonly clock: Clock,
    private readonly tariff: Tariff,
    /** Every value handed to the bus, for checking bounds afterwards. */
    private readonly onPublished?: (device: DeviceEntry['ctx'], value: SetpointValue, nowMs: number) => void,
  ) {
    const prefix = config.mqtt.topicPrefix;
    const setup = { control: config.control, schedules: config.schedules, prefix };
    for (const site of config.sites) {
      this.outdoor.set(site.id, new Map());
      for (const space of site.spaces) {
        const entry: SpaceEntry = {
          key: `${site.id}/${space.id}`,
          siteId: site.id,
          timezone: site.timezone,
          ...(site.latitude !== undefined && site.longitude !== undefined
            ? { position: { latitude: site.latitude, longitude: site.longitude } }
            : {}),
          config: space,
          levels: spaceTypeControlOf(config.control, space.type),
          changes: [],
        };
        this.spaces.set(entry.key, entry);
        for (const device of space.devices) {
          const ctx = safetyContextOf(setup, site, space, device);
          const target = outputTargetOf(ctx);
          if (!target) continue;
          // The bench starts from devices that passed commissioning.
          const record = recordCommissioning(initialRecord(device.id), true, clock.now());
          this.devices.push({ id: device.id, space: entry, ctx, target, record });
        }
      }
    }
    this.routes = sensorRoutes(config);
  }

  async start(): Promise<void> {
    const byTopic = new Map(this.routes.map((r) => [r.topic, r]));
    await this.bus.subscribe([...byTopic.keys()], (m) => {
      const route = byTopic.get(m.topic);
      if (route) this.onSensor(route, m.payload);
    });
    const stateTopics = new Map<string, DeviceEntry>();
    for (const d of this.devices) {
      const t =
        d.ctx.device.stateTopic ??
        (d.target.output !== 'native'
          ? undefined
          : d.ctx.device.topic === undefined
            ? stateTopic(d.target.prefix, d.target.address)
            : `${d.ctx.device.topic}/state`);
      if (t) stateTopics.set(t, d);
    }
    await this.bus.subscribe([...stateTopics.keys()], (m) => {
      const d = stateTopics.get(m.topic);
      if (d) this.onStateReport(d, decoder.decode(m.payload));
    });
  }

  /** Full-output illuminance of a space's lights, lx: with an illuminance sensor, daylight then counts. */
  setFullOutputLux(spaceKey: string, lux: number): void {
    const s = this.spaces.get(spaceKey);
    if (s?.config.sensors.some((x) => x.kind === 'illuminance')) s.fullOutputLux = lux;
  }

  /** Level the space's lights run at now, as their controller last reported it (or as last commanded). */
  private runningLevel(space: SpaceEntry): number | undefined {
    const d = this.devices.find((x) => x.space === space && x.target.kind === 'lighting');
    return d ? runningLevelPct(d.record) : undefined;
  }

  /** Daylight share of full output the presence level may rely on now, % (as in the service). */
  private daylightNow(space: SpaceEntry, now: number): number {
    if (space.illuminanceTsMs === undefined) return 0;
    const reading = { value: space.illuminanceLux ?? 0, tsMs: space.illuminanceTsMs, stale: false };
    return presenceDaylightPct(
      space.fullOutputLux,
      reading,
      this.runningLevel(space),
      now,
      space.position,
      this.config.control.lightingDecreasePctPerMinute,
    );
  }

  setRates(spaceKey: string, rates: ThermalRates): void {
    const s = this.spaces.get(spaceKey);
    if (s) s.rates = rates;
  }

  private onSensor(route: SensorRoute, payload: Uint8Array): void {
    const now = this.clock.now();
    const r = readSensor(route, payload, now);
    if (!r) return;
    const outdoorC = r.values['outdoor-temperature'];
    if (outdoorC !== undefined) this.outdoor.get(route.siteId)?.set(Math.floor(now / SLOT_MS), outdoorC);
    if (route.spaceKey === undefined) return;
    const space = this.spaces.get(route.spaceKey);
    if (!space) return;
    if (r.values['indoor-temperature'] !== undefined) space.indoorC = r.values['indoor-temperature'];
    if (r.values.illuminance !== undefined) {
      space.illuminanceLux = r.values.illuminance;
      space.illuminanceTsMs = now;
    }
    const occ = r.values.occupancy;
    if (occ === undefined) return;
    const occupied = occ > 0;
    space.occupancy = { value: occ, tsMs: now };
    if (occupied) space.lastPresenceMs = now;
    if (occupied !== space.occupied) {
      space.changes.push({ tsMs: now, occupied });
      // Keep four weeks of history: what the occupancy profile reads.
      while ((space.changes[0]?.tsMs ?? now) < now - HISTORY_DAYS * DAY_MS) space.changes.shift();
    }
    space.occupiedSinceMs = occupiedSinceAfter(space.occupiedSinceMs, occupied, now);
    space.occupied = occupied;
    if (this.active) this.onOccupancy(space, occupied, now);
  }

  private onStateReport(d: DeviceEntry, payload: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch {
      return;
    }
    const parsed = StateReport.safeParse(raw);
    if (!parsed.success) return;
    const r = recordStateReport(d.record, parsed.data, this.clock.now(), this.config.control);
    d.record = r.record;
    if (r.acknowledged) this.stats.acknowledged++;
    if (r.overrideStarted) this.stats.overridesSeen++;
  }

  /** Presence cannot wait for the next plan: the lights of the space go up now (as in the service). */
  private onOccupancy(space: SpaceEntry, occupied: boolean, now: number): void {
    const lights = this.devices.filter((d) => d.space === space && d.target.kind === 'lighting');
    const current = lights.map((d) => lightLevelNowPct(d.record, d.ctx, d.target, now));
    const event = { occupied, tsMs: now };
    const r = occupancyRaises(current, space.levels, space.hold, event, now, this.daylightNow(space, now));
    space.hold = r.presence;
    const planId = space.planId;
    if (planId === undefined) return;
    for (const { index, levelPct, reason } of r.raises) {
      const d = lights[index];
      if (!d) continue;
      this.stats.raises++;
      this.step(d, { kind: 'raise', planId, levelPct, reason }, now);
    }
  }

  /** Runs every minute of simulated time. */
  tick(now: number): void {
    if (!this.active) return;
    if (now % SLOT_MS === 0 || [...this.spaces.values()].some((s) => !s.plan)) this.replan(now);
    for (const space of this.spaces.values()) {
      const daylight = space.fullOutputLux === undefined ? undefined : this.daylightNow(space, now);
      const next = presenceAtTick(
        { hold: space.hold, occupiedSinceMs: space.occupiedSinceMs },
        occupiedReading(space.occupancy, now),
        space.levels,
        daylight,
        now,
      );
      space.hold = next.hold;
      space.occupiedSinceMs = next.occupiedSinceMs;
    }
    for (const d of this.devices) {
      const { plan, planId, hold } = d.space;
      const want: DeviceWant =
        plan && planId !== undefined ? { kind: 'plan', plan, planId, presence: hold } : { kind: 'none' };
      this.step(d, want, now);
    }
  }

  /** One device's next value, decided as in the service, and published when it is to be sent. */
  private step(d: DeviceEntry, want: DeviceWant, now: number): void {
    const next = nextDeviceValue({
      want,
      state: { record: d.record },
      ctx: d.ctx,
      setpointId: `${d.id}-${++this.seq}`,
      nowMs: now,
    });
    const outcome = next.outcome;
    if (next.verdict !== 'send' || outcome.action === 'none') return;
    for (const m of messagesForOutcome(outcome, d.target, d.ctx, now)) {
      void this.bus.publish(m.topic, m.payload, {
        qos: m.qos,
        retain: m.retain,
        ...(m.messageExpirySeconds === undefined ? {} : { messageExpirySeconds: m.messageExpirySeconds }),
      });
      this.stats.published++;
    }
    this.onPublished?.(d.ctx, outcome.value, now);
    d.record = recordSent(d.record, outcome, now);
  }

  /** Every 15 minutes: a 24-hour plan per space from its own history, the weather seen and the tariff. */
  private replan(now: number): void {
    const startMs = slotStartMs(now);
    for (const space of this.spaces.values()) {
      const probability = this.occupancyProfile(space, now, startMs);
      const outdoorTempC = this.outdoorForecast(space.siteId, startMs);
      const light = this.devices.find((d) => d.space === space && d.target.kind === 'lighting');
      const lastLevel = light ? this.runningLevel(space) : undefined;
      const input = planInputFromConfig({
        space: space.config,
        schedules: this.config.schedules,
        control: this.config.control,
        timeZone: space.timezone,
        startMs,
        occupancyProbability: probability,
        outdoorTempC,
        pricePerKWh: slotPrices(this.tariff, startMs, space.timezone),
        sensors: {
          ...(space.occupied === undefined ? {} : { occupied: space.occupied }),
          ...(space.lastPresenceMs === undefined ? {} : { lastPresenceMs: space.lastPresenceMs }),
          ...(space.occupiedSinceMs === undefined ? {} : { occupiedSinceMs: space.occupiedSinceMs }),
          ...(space.indoorC === undefined ? {} : { indoorTempC: space.indoorC }),
          ...(space.illuminanceTsMs === undefined
            ? {}
            : { illuminanceLux: space.illuminanceLux ?? 0, illuminanceTsMs: space.illuminanceTsMs }),
        },
        ...(space.fullOutputLux === undefined ? {} : { fullOutputLux: space.fullOutputLux }),
        ...(space.rates ? { rates: space.rates } : {}),
        ...(lastLevel === undefined ? {} : { currentLevelPct: lastLevel }),
      });
      space.plan = planSpace(input, now);
      space.planId = `plan-${space.key.replace(/[^A-Za-z0-9-]/g, '-')}-${Math.floor(now / SLOT_MS)}`;
      this.stats.plans++;
    }
  }

  private occupancyProfile(space: SpaceEntry, now: number, startMs: number): number[] {
    const r = dailyOccupancyProfile(space.changes, space.timezone, now, startMs, space.profileCache);
    space.profileCache = r.cache;
    return r.probability;
  }

  private outdoorForecast(siteId: string, startMs: number): number[] {
    return persistenceForecast(this.outdoor.get(siteId) ?? new Map<number, number>(), startMs);
  }
}
