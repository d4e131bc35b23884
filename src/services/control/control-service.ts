import { localFieldsAt } from '../../domain/calendar/local-fields.js';
import { isoDate } from '../../domain/calendar/local-time.js';
import type { CommandTarget } from '../../domain/commands/envelope.js';
import { runningLevelPct } from '../../domain/control/light-level.js';
import type { DeviceWant } from '../../domain/control/next-value.js';
import { occupiedSinceAfter, presenceAtTick, presenceDaylightPct } from '../../domain/control/presence.js';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import { LogRateLimiter } from '../../domain/ingest/rate-limiter.js';
import { slotStartMs } from '../../domain/planning/grid.js';
import { hvacTuning, occupiedAimC, setpointRange } from '../../domain/planning/hvac-targets.js';
import { solarProxyAt } from '../../domain/planning/solar.js';
import { staggerHvac } from '../../domain/planning/stagger.js';
import { shutdownOutcome } from '../../domain/safety/apply-safety.js';
import type { ReleaseState } from '../../domain/safety/context.js';
import { type AckStatus, overrideActive } from '../../domain/safety/device-record.js';
import { readFireAlarm } from '../../domain/safety/release.js';
import { deviceScheduleValueAt } from '../../domain/safety/schedule-value.js';
import type { InputFreshness } from '../../domain/safety/staleness.js';
import type { SetpointValue } from '../../domain/setpoints/contract.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { DayArm, MeterActivity, PlanForecasts, SensorView } from '../../ports/control-inputs.js';
import type { Logger } from '../../ports/logger.js';
import type { LpSolver } from '../../ports/lp-solver.js';
import type { InboundMessage, MessageBus } from '../../ports/message-bus.js';
import { type AlertSink, noAlerts } from '../../ports/operations.js';
import type { ScheduledJob, Scheduler } from '../../ports/scheduler.js';
import type { KeyValueStore, SetpointAuditStore } from '../../ports/stores.js';
import { Slicer } from '../shared/slicer.js';
import { TopicSubscription } from '../shared/topic-subscription.js';
import { planIdOf, restoreRecord } from './audit.js';
import { bandHoldInputs } from './band-hold-inputs.js';
import { BandHoldWatch } from './band-hold-watch.js';
import {
  type ControlledDevice,
  type ControlledSpace,
  type ControlSetup,
  catalogue,
  spaceInputs,
} from './catalogue.js';
import { Commissioner } from './commissioner.js';
import { type CommissioningResult, loadCommissioning, overrideKey } from './commissioning.js';
import {
  ackChangeMessage,
  ackOf,
  type DeviceStatus,
  deviceStatus,
  planLine,
  planMessage,
} from './control-log.js';
import { fullOutputLuxKey, spaceFullOutputLux } from './daylight.js';
import { occupancyDecisions, occupiedReading, type Presence } from './decisions.js';
import { type DeviceRuntime, Dispatcher, type DispatchResult, describeValue } from './dispatcher.js';
import { OccupancyProfileCache } from './occupancy-cache.js';
import {
  commissionSelection,
  overrideAlertPart,
  reportCommissioning,
  type SpaceStatus,
  spaceStatusOf,
} from './operator-view.js';
import { type BuiltPlan, type OccupancyHistory, spacePlanInput, spaceTariff } from './plan-builder.js';
import { PredictedComfortWatch } from './predicted-comfort-watch.js';
import { planRound } from './predictive-round.js';
import { ScheduleShadows } from './schedule-shadows.js';
import { configModes, type SpaceModeResolver, type SpaceModeStatus } from './space-mode.js';
import { handleStateMessage, StateReportRejections } from './state-reports.js';
import { ThermalLearner, thermalSampleOf } from './thermal-learning.js';

export interface ControlServiceDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly audit: SetpointAuditStore;
  readonly settings: KeyValueStore;
  readonly setup: ControlSetup;
  readonly sensors?: SensorView;
  readonly meters?: MeterActivity;
  readonly occupancyHistory?: OccupancyHistory;
  /** Occupancy and temperature forecasts per hour (the forecast service), when it runs. */
  readonly forecasts?: PlanForecasts;
  /** Arm of a local date in a randomized savings design: on `schedule` days nothing is commanded. */
  readonly dayArm?: (siteId: string, dateLocal: string) => DayArm;
  /** Safety tick period (expiry, renewal, dimming steps, stale data). Default 60 s. */
  readonly tickEverySeconds?: number;
  /** How long a commissioning check waits for the state report and the meter. Default 5 min. */
  readonly commissioningTimeoutMs?: number;
  /** Operator modes over the config file's (default: the config file's alone). */
  readonly modes?: SpaceModeResolver;
  /** Failed commissioning and manual overrides are reported here. */
  readonly alerts?: AlertSink;
  /** Solves the predictive HVAC planner's programs off the main thread; rules only without. */
  readonly hvacSolver?: LpSolver;
}

/** Settings key of an operator's release, so a restart keeps devices handed back. */
export const OPERATOR_RELEASE_KEY = 'control.release.operator';

interface SpaceRuntime {
  readonly space: ControlledSpace;
  readonly devices: DeviceRuntime[];
  plan?: BuiltPlan;
  planId?: string;
  /** Presence holds the lights at least at this level until then (occupancy events). */
  presence?: Presence;
  /** Since when the occupancy sensor has said occupied without a break (after-hours comfort). */
  occupiedSinceMs?: number;
}

/** A space of a plan round: its planner input and what that was made from. */
interface RoundEntry extends Omit<BuiltPlan, 'plan'> {
  readonly s: SpaceRuntime;
}

const PLAN_EVERY_MINUTES = 15;
/** Local time of the daily thermal learning (a quiet hour, after the day's data are in). */
const LEARN_AT = '03:10';

/**
 * The control loop: every 15 minutes a plan per space; every tick (and on every occupancy event,
 * state report and release) each device passes the safety layer and whatever it allows is
 * published, then audited. Shadow spaces compute and audit, never publish.
 */
export class ControlService implements Component {
  private readonly scheduleShadows = new ScheduleShadows();
  readonly name = 'control';
  private spaces: SpaceRuntime[] = [];
  private readonly byKey = new Map<string, { space: SpaceRuntime; rt: DeviceRuntime }>();
  private readonly byStateTopic = new Map<string, DeviceRuntime[]>();
  private readonly lastAck = new Map<string, AckStatus>();
  private readonly seenAck = new Map<string, AckStatus>();
  private release: { fireAlarm: boolean; operator: boolean } = { fireAlarm: false, operator: false };
  /** Fire-alarm messages that were neither active nor clear (ignored), and their warnings, 1 a minute. */
  private fireAlarmIgnored = 0;
  private readonly fireAlarmLogLimit = new LogRateLimiter(1);
  /** Each space's mode as last applied, to see which spaces a reload or an operator made active. */
  private readonly appliedModes = new Map<string, SpaceMode>();
  /** Devices with an override alert open. */
  private readonly overrideAlerts = new Set<string>();
  private jobs: ScheduledJob[] = [];
  private learnJobs: ScheduledJob[] = [];
  /** State reports and the fire alarm, through one handler that a stop releases and a reload diffs. */
  private readonly topics: TopicSubscription;
  private unsubscribeOccupancy: (() => void) | undefined;
  private startedAtMs = 0;
  private running = false;
  private readonly dispatcher: Dispatcher;
  private readonly commissioner: Commissioner;
  private readonly occupancy: OccupancyProfileCache | undefined;
  private readonly thermal: ThermalLearner;
  private readonly predicted: PredictedComfortWatch;
  private readonly rejectedReports: StateReportRejections;
  private readonly bandHold: BandHoldWatch;

  private setup: ControlSetup;

  constructor(private readonly deps: ControlServiceDeps) {
    this.setup = deps.setup;
    this.topics = new TopicSubscription(deps.bus, (m) => this.onMessage(m));
    this.occupancy = deps.occupancyHistory ? new OccupancyProfileCache(deps.occupancyHistory) : undefined;
    this.thermal = new ThermalLearner(deps.settings);
    this.rejectedReports = new StateReportRejections(deps.log);
    this.bandHold = new BandHoldWatch(() => this.alerts, deps.log);
    this.predicted = new PredictedComfortWatch(() => this.alerts, deps.log);
    this.dispatcher = new Dispatcher({ bus: deps.bus, audit: deps.audit, clock: deps.clock, log: deps.log });
    const spaceOf = (rt: DeviceRuntime) => this.byKey.get(rt.device.key)?.space;
    this.commissioner = new Commissioner({
      clock: deps.clock,
      log: deps.log,
      settings: deps.settings,
      meters: deps.meters,
      dispatcher: this.dispatcher,
      control: () => this.control,
      timeoutMs: deps.commissioningTimeoutMs ?? 5 * 60_000,
      running: () => this.running,
      modeOf: (rt) => {
        const s = spaceOf(rt);
        return s ? this.modeOf(s) : 'off';
      },
      dispatch: (rt, decision) => {
        const s = spaceOf(rt);
        if (!s) return Promise.resolve({ kind: 'none', reasons: ['unknown-device'] });
        const want = { kind: 'decision', decision } as const;
        return this.dispatcher.dispatch(rt, this.dispatchInput(s, want, this.inputsOf(s)));
      },
      luxReading: (rt) => {
        const s = spaceOf(rt);
        if (!s || rt.device.target.kind !== 'lighting' || rt.device.ctx.device.fullOutputLux !== undefined)
          return undefined;
        if (!s.space.space.sensors.some((x) => x.kind === 'illuminance')) return undefined;
        if (Number.isFinite(Number(deps.settings.get(fullOutputLuxKey(rt.device.key))))) return undefined;
        return deps.sensors?.latest(s.space.site.id, s.space.space.id, 'illuminance');
      },
      resume: (rt) => {
        const s = spaceOf(rt);
        if (s) void this.dispatchSpace(s).catch(() => undefined);
      },
      onResult: (rt, result) => reportCommissioning(this.alerts, rt, result),
    });
    this.release = { fireAlarm: false, operator: deps.settings.get(OPERATOR_RELEASE_KEY) === '1' };
  }

  private get alerts(): AlertSink {
    return this.deps.alerts ?? noAlerts;
  }

  private get control() {
    return this.setup.control;
  }

  async start(): Promise<void> {
    this.startedAtMs = this.deps.clock.now();
    this.spaces = catalogue(this.setup).map((space) => ({
      space,
      devices: space.devices.map((device) => this.restoredRuntime(device)),
    }));
    this.index();
    this.running = true;
    await this.subscribeAll();
    this.unsubscribeOccupancy = this.deps.sensors?.onOccupancy((site, space, occupied, tsMs) =>
      this.onOccupancy(site, space, occupied, tsMs),
    );
    this.jobs = [
      this.deps.scheduler.schedule('control-plan', { everyMinutes: PLAN_EVERY_MINUTES }, () =>
        this.planAll(),
      ),
      this.deps.scheduler.schedule('control-tick', { everySeconds: this.deps.tickEverySeconds ?? 60 }, () =>
        this.tick(),
      ),
    ];
    this.scheduleLearning();
    const devices = this.spaces.reduce((n, s) => n + s.devices.length, 0);
    const modes = Object.fromEntries(this.spaces.map((s) => [s.space.key, this.modeOf(s)]));
    this.deps.log.info({ devices, modes, released: this.release.operator }, 'control started');
    await this.planAll();
    this.commissionNewlyActive();
  }

  /**
   * After an operator's set-mode or reset-mode: plans again at once (a space that left `active`
   * hands its devices back) and commissions the devices of spaces that became active. Returns what
   * changed, in words.
   */
  async applyModes(): Promise<string[]> {
    const before = new Map(this.appliedModes);
    await this.planAll();
    const started = this.commissionNewlyActive();
    const changes = this.spaces.flatMap((s) => {
      const was = before.get(s.space.key);
      const now = this.modeOf(s);
      return was === now ? [] : [`${s.space.key}: ${was ?? 'new'} -> ${now}`];
    });
    return [...changes, ...started.map((k) => `${k}: commissioning started`)];
  }

  /**
   * Commissions, exactly as at start, the devices not yet passed in every space that is active now
   * and was not when modes were last applied (at start: every active space). Returns the device keys.
   */
  private commissionNewlyActive(): string[] {
    const started: string[] = [];
    for (const s of this.spaces) {
      const mode = this.modeOf(s);
      const was = this.appliedModes.get(s.space.key);
      this.appliedModes.set(s.space.key, mode);
      if (!this.running || !this.control.requireCommissioning || mode !== 'active' || was === 'active')
        continue;
      for (const rt of s.devices) {
        if (rt.record.commissioning === 'passed' || this.commissioner.has(rt.device.key)) continue;
        started.push(rt.device.key);
        void this.commission(rt.device.key).catch(() => undefined);
      }
    }
    return started;
  }

  /**
   * Hot reload: devices kept keep their records (leases, acknowledgements, overrides, commissioning);
   * removed devices are handed back; then every space is planned again under the new config, so a
   * space that left `active` hands its devices back at once.
   */
  async reconfigure(setup: ControlSetup): Promise<void> {
    const before = new Map(this.byKey);
    const nowMs = this.deps.clock.now();
    this.setup = setup;
    this.occupancy?.clear();
    const kept = new Set<string>();
    this.spaces = catalogue(setup).map((space) => {
      const prev = this.spaces.find((s) => s.space.key === space.key);
      return {
        space,
        devices: space.devices.map((device) => {
          const old = before.get(device.key)?.rt;
          if (!old) return this.restoredRuntime(device);
          kept.add(device.key);
          old.device = device;
          return old;
        }),
        ...(prev?.presence ? { presence: prev.presence } : {}),
        ...(prev?.occupiedSinceMs === undefined ? {} : { occupiedSinceMs: prev.occupiedSinceMs }),
      };
    });
    for (const [key, { rt }] of before) {
      if (kept.has(key)) continue;
      const outcome = shutdownOutcome({ record: rt.record }, rt.device.ctx, nowMs);
      await this.dispatcher.carryOut(rt, outcome, { cause: 'removed-from-config' });
    }
    this.index();
    this.bandHold.retain(this.spaces.map((s) => this.watchedOf(s)));
    if (!this.running) return;
    await this.subscribeAll();
    this.scheduleLearning();
    const modes = Object.fromEntries(this.spaces.map((s) => [s.space.key, this.modeOf(s)]));
    this.deps.log.info({ removed: before.size - kept.size, modes }, 'control reconfigured');
    await this.planAll();
    // A reload that makes a space active commissions its devices, as the start does.
    this.commissionNewlyActive();
  }

  private restoredRuntime(device: ControlledDevice): DeviceRuntime {
    const { settings, audit } = this.deps;
    let record = restoreRecord(device, audit, loadCommissioning(settings, device.key));
    const held = Number(settings.get(overrideKey(device.key)));
    if (Number.isFinite(held) && held > this.deps.clock.now()) record = { ...record, overrideUntilMs: held };
    return { device, record, queue: Promise.resolve() };
  }

  private index(): void {
    this.byKey.clear();
    this.byStateTopic.clear();
    for (const space of this.spaces) {
      for (const rt of space.devices) {
        this.byKey.set(rt.device.key, { space, rt });
        const topic = rt.device.stateTopic;
        if (topic !== undefined) this.byStateTopic.set(topic, [...(this.byStateTopic.get(topic) ?? []), rt]);
      }
    }
  }

  private async subscribeAll(): Promise<void> {
    // Operator commands arrive through the command handler (MQTT command topics, HTTP), not here.
    const fireTopic = this.control.fireAlarm.topic;
    const topics = [...this.byStateTopic.keys(), ...(fireTopic ? [fireTopic] : [])];
    await this.topics.set(topics);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const job of [...this.jobs, ...this.learnJobs]) job.cancel();
    this.jobs = [];
    this.learnJobs = [];
    this.unsubscribeOccupancy?.();
    try {
      // Released, not unsubscribed: the broker keeps queueing state reports for the next start.
      await this.topics.release();
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, 'control unsubscribe failed; handing back anyway');
    }
    // Hand every device back before the bus announces `offline` (the bus stops after this component).
    const nowMs = this.deps.clock.now();
    const results: string[] = [];
    for (const s of this.spaces) {
      for (const rt of s.devices) {
        const outcome = shutdownOutcome({ record: rt.record }, rt.device.ctx, nowMs);
        const r = await this.dispatcher.carryOut(rt, outcome, { cause: 'shutdown' });
        if (r.kind === 'handed-back') results.push(rt.device.deviceId);
      }
    }
    this.commissioner.stop();
    this.deps.log.info({ handedBack: results.length }, 'control stopped; devices handed back');
  }

  /** Commissioning check of one device (key `site/space/device`); records and returns the result. */
  commission(deviceKey: string): Promise<CommissioningResult> {
    const entry = this.byKey.get(deviceKey);
    if (!entry) return Promise.reject(new Error(`unknown device "${deviceKey}"`));
    return this.commissioner.run(entry.rt);
  }

  /** Per-device status: mode, commissioning, acknowledgement (open loop is visible here), lease, override. */
  status(): DeviceStatus[] {
    const nowMs = this.deps.clock.now();
    return this.spaces.flatMap((s) =>
      s.devices.map((rt) => deviceStatus(rt, this.modeOf(s), nowMs, this.control)),
    );
  }

  releaseState(): ReleaseState {
    return { ...this.release };
  }

  /** State reports that broke the contract, per device key, since start. */
  rejectedStateReports(): Readonly<Record<string, number>> {
    return this.rejectedReports.countsByDevice();
  }

  // ---- operator actions (through the command handler) ----

  /**
   * An operator's release (true) or resume (false): kept in the settings store so a restart keeps
   * it, and carried out at once. Resolves with the devices handed back.
   */
  setOperatorRelease(released: boolean, by: string): Promise<string[]> {
    this.deps.settings.set(OPERATOR_RELEASE_KEY, released ? '1' : '0');
    return this.setRelease({ ...this.release, operator: released }, by);
  }

  /**
   * Starts (or joins) the commissioning check of the devices a target names, in active spaces: a
   * named device is checked again even if it passed; otherwise every device not yet passed.
   */
  commissionDevices(target: CommandTarget): {
    readonly checks: { readonly key: string; readonly result: Promise<CommissioningResult> }[];
    readonly skipped: string[];
  } {
    const devices = [...this.byKey.values()].map(({ space, rt }) => ({ rt, mode: this.modeOf(space) }));
    const { keys, skipped } = commissionSelection(devices, target);
    return { checks: keys.map((key) => ({ key, result: this.commission(key) })), skipped };
  }

  /**
   * Ends a person's override hold on one device (key `site/space/device`) or on every device of a
   * space, and dispatches the space at once. Returns the keys whose hold was ended.
   */
  async clearOverride(siteId: string, spaceId: string, deviceId?: string): Promise<string[]> {
    const nowMs = this.deps.clock.now();
    const cleared: string[] = [];
    const s = this.spaces.find((x) => x.space.site.id === siteId && x.space.space.id === spaceId);
    if (!s) return cleared;
    for (const rt of s.devices) {
      if (deviceId !== undefined && rt.device.deviceId !== deviceId) continue;
      if (!overrideActive(rt.record, nowMs)) continue;
      const { overrideUntilMs: _ended, ...rest } = rt.record;
      rt.record = rest;
      this.deps.settings.set(overrideKey(rt.device.key), '0');
      this.endOverrideAlert(rt);
      cleared.push(rt.device.key);
    }
    if (cleared.length > 0) {
      this.deps.log.info({ devices: cleared }, 'override hold ended by an operator');
      await this.dispatchSpace(s);
    }
    return cleared;
  }

  /** Per space: its mode and where the mode comes from, its plan, and whether control is released. */
  spaceStatus(): SpaceStatus[] {
    const released = this.release.fireAlarm || this.release.operator;
    return this.spaces.map((s) =>
      spaceStatusOf(
        { siteId: s.space.site.id, spaceId: s.space.space.id, planId: s.planId },
        this.modeStatusOf(s),
        released,
        s.devices,
      ),
    );
  }

  /** The plan in force for a space; undefined when off or not planned yet. */
  planOf(
    siteId: string,
    spaceId: string,
  ): { readonly planId: string; readonly plan: BuiltPlan['plan'] } | undefined {
    const s = this.spaces.find((x) => x.space.site.id === siteId && x.space.space.id === spaceId);
    return s?.plan && s.planId ? { planId: s.planId, plan: s.plan.plan } : undefined;
  }

  private endOverrideAlert(rt: DeviceRuntime): void {
    if (this.overrideAlerts.delete(rt.device.key)) this.alerts.clear(overrideAlertPart(rt));
  }

  // ---- plan and tick ----

  /**
   * A new plan per space (not for spaces that are off), the community peak limit across the plans
   * of each site, then every device dispatched; one log line per space.
   */
  async planAll(): Promise<void> {
    if (!this.running) return;
    const nowMs = this.deps.clock.now();
    // Hundreds of spaces are planned in slices, so MQTT is served between them.
    const slice = new Slicer();
    const round: RoundEntry[] = [];
    for (const s of this.spaces) {
      await slice.turn();
      if (this.modeOf(s) === 'off') {
        delete s.plan;
        continue;
      }
      try {
        const lights = s.devices.find((d) => d.device.target.kind === 'lighting')?.record.lastValue;
        const made = spacePlanInput(s.space, this.setup, nowMs, {
          sensors: this.deps.sensors,
          occupancy: this.occupancy,
          currentLevelPct: lights?.kind === 'lighting' ? lights.levelPct : undefined,
          forecasts: this.deps.forecasts,
          tariff: spaceTariff(s.space.space, this.setup.tariffs),
          rates: this.thermal.ratesOf(s.space.key),
          occupiedSinceMs: s.occupiedSinceMs,
          fullOutputLux: spaceFullOutputLux(s.space, this.deps.settings),
        });
        round.push({ s, ...made, input: this.scheduleShadows.apply(s.space.key, made.input) });
      } catch (error) {
        this.deps.log.error(
          { space: s.space.key, err: String(error) },
          'planning failed; devices stay on the last plan',
        );
      }
    }
    await this.planSpaces(round, nowMs, slice);
    if (!this.running) return;
    this.applyPeakLimit(nowMs);
    for (const s of this.spaces) {
      const mode = this.modeOf(s);
      const results = await this.dispatchSpace(s);
      if (mode === 'off') continue;
      const extras: Record<string, string> = {};
      if (this.armOf(s, nowMs) === 'schedule') extras.day = 'schedule (randomized design)';
      if (this.release.fireAlarm || this.release.operator)
        extras.release = this.release.fireAlarm ? 'fire alarm' : 'operator';
      const line = planLine(s.space.key, mode, results, extras);
      // A round that leaves every device as it was says so at debug: the info log holds decisions.
      const decided = line.sent !== undefined || line.shadow !== undefined || line.notSent !== undefined;
      this.deps.log[decided ? 'info' : 'debug'](line, planMessage(line));
    }
  }

  /**
   * The plans of this round's spaces: with the predictive HVAC planner on, each space's program
   * first, and the rules' plan only where the program is refused or the space has none; the audit
   * inputs say which planner made the HVAC part, and why the rules did where a program was refused.
   */
  private async planSpaces(round: readonly RoundEntry[], nowMs: number, slice: Slicer): Promise<void> {
    const solver = this.deps.hvacSolver;
    const settings = this.control.predictiveHvac;
    const predictive = solver && settings.enabled ? { solver, timeLimitMs: settings.timeLimitMs } : undefined;
    const plans = await planRound(
      round.map((r) => ({ key: r.s.space.key, input: r.input })),
      nowMs,
      { log: this.deps.log, predictive, slice },
    );
    for (const { s, input, inputs } of round) {
      const made = plans.get(s.space.key);
      // Planning failed (logged): the devices stay on the last plan.
      if (!made) continue;
      s.planId = planIdOf(s.space.space.id, nowMs);
      if (made.planner === 'rules') {
        s.plan = {
          plan: made.plan,
          input,
          inputs: made.why === undefined ? inputs : { ...inputs, hvacPlanner: `rules (${made.why})` },
        };
        if (predictive && made.why === undefined) this.predicted.forget(s.space.site.id, s.space.space.id);
        continue;
      }
      s.plan = {
        plan: made.plan,
        input,
        inputs: { ...inputs, hvacPlanner: 'predictive', solveMs: Math.round(made.solveMs) },
      };
      const hvac = input.hvac;
      const mode = made.plan.hvacMode;
      if (!hvac || !mode) continue;
      const tuning = hvacTuning(hvac);
      this.predicted.observe(
        { siteId: s.space.site.id, spaceId: s.space.space.id },
        {
          space: s.space.key,
          mode,
          limitC: occupiedAimC(hvac.comfort, mode, tuning.bandMarginC),
          setpointLimitC: setpointRange(hvac.comfort, mode).deepC,
          startMs: made.plan.startMs,
          slotMs: made.plan.slotMs,
          timeZone: s.space.site.timezone,
        },
        made.shortfalls,
      );
    }
  }

  /** `control.hvacPeakLimitKW`: the plans of this round (same start) of each site staggered under the limit. */
  private applyPeakLimit(nowMs: number): void {
    const limitKW = this.control.hvacPeakLimitKW;
    if (limitKW === undefined) return;
    const startMs = slotStartMs(nowMs);
    const bySite = new Map<string, SpaceRuntime[]>();
    for (const s of this.spaces) {
      if (!s.plan || s.plan.plan.startMs !== startMs || s.plan.plan.hvac.length === 0) continue;
      bySite.set(s.space.site.id, [...(bySite.get(s.space.site.id) ?? []), s]);
    }
    for (const group of bySite.values()) {
      const staggered = staggerHvac(
        group.map((s) => (s.plan as BuiltPlan).plan),
        limitKW,
      );
      group.forEach((s, i) => {
        const plan = staggered[i];
        if (plan && s.plan) s.plan = { ...s.plan, plan, inputs: { ...s.plan.inputs, peakLimitKW: limitKW } };
      });
    }
  }

  /** Safety tick: expiry, renewal, dimming steps, stale data, override end, commissioning progress. */
  async tick(): Promise<void> {
    if (!this.running) return;
    for (const s of this.spaces) {
      const nowMs = this.deps.clock.now();
      const levels = spaceTypeControlOf(this.control, s.space.space.type);
      const usesDaylight = spaceFullOutputLux(s.space, this.deps.settings) !== undefined;
      const next = presenceAtTick(
        { hold: s.presence, occupiedSinceMs: s.occupiedSinceMs },
        this.occupiedNow(s, nowMs),
        levels,
        usesDaylight ? this.daylightNow(s, nowMs) : undefined,
        nowMs,
      );
      if (next.hold) s.presence = next.hold;
      if (next.occupiedSinceMs === undefined) delete s.occupiedSinceMs;
      this.sampleThermal(s);
      this.watchBand(s, nowMs);
      const results = await this.dispatchSpace(s);
      for (const [rt, r] of results) this.logTickResult(rt, r);
    }
    this.commissioner.evaluate();
    this.watchAcks();
    const nowMs = this.deps.clock.now();
    for (const { rt } of this.byKey.values())
      if (this.overrideAlerts.has(rt.device.key) && !overrideActive(rt.record, nowMs))
        this.endOverrideAlert(rt);
  }

  /** Daylight share of full output the presence level may rely on now, %. */
  private daylightNow(s: SpaceRuntime, nowMs: number): number {
    const fullOutputLux = spaceFullOutputLux(s.space, this.deps.settings);
    if (fullOutputLux === undefined) return 0;
    const reading = this.deps.sensors?.latest(s.space.site.id, s.space.space.id, 'illuminance');
    const light = s.devices.find((d) => d.device.target.kind === 'lighting');
    const level = light ? runningLevelPct(light.record) : undefined;
    const { latitude, longitude } = s.space.site;
    return presenceDaylightPct(
      fullOutputLux,
      reading,
      level,
      nowMs,
      latitude === undefined || longitude === undefined ? undefined : { latitude, longitude },
      this.control.lightingDecreasePctPerMinute,
    );
  }

  // ---- thermal learning ----

  /** One daily learning job per site time zone (re-made on reload). */
  private scheduleLearning(): void {
    for (const job of this.learnJobs) job.cancel();
    const zones = new Set(this.spaces.map((s) => s.space.site.timezone));
    this.learnJobs = [...zones].map((timezone) =>
      this.deps.scheduler.schedule(`control-learn-${timezone}`, { dailyAt: LEARN_AT, timezone }, () =>
        this.learnRates(timezone),
      ),
    );
  }

  /** Fits the thermal rates of every conditioned space of the zone on its recent samples. */
  learnRates(timezone?: string): void {
    const nowMs = this.deps.clock.now();
    for (const s of this.spaces) {
      if (timezone !== undefined && s.space.site.timezone !== timezone) continue;
      const learned = this.thermal.learn(s.space.key, nowMs);
      if (!learned) continue;
      const r = learned.rates;
      this.deps.log.info(
        {
          space: s.space.key,
          samples: learned.samples,
          fitted: Object.keys(learned.fitted).filter((k) => learned.fitted[k as keyof typeof learned.fitted]),
          aPerH: +r.aPerH.toFixed(3),
          gainKPerH: +r.gainKPerH.toFixed(2),
          coolKPerH: +r.coolKPerH.toFixed(2),
          heatKPerH: +r.heatKPerH.toFixed(2),
        },
        'thermal rates learned',
      );
    }
  }

  /** A learning sample of the space: its newest indoor reading, outdoor temperature and the HVAC value in force. */
  private sampleThermal(s: SpaceRuntime): void {
    const hvac = s.devices.find((d) => d.device.target.kind === 'hvac');
    const sensors = this.deps.sensors;
    if (!hvac || !sensors) return;
    const indoor = sensors.latest(s.space.site.id, s.space.space.id, 'indoor-temperature');
    const outdoor = sensors.latest(s.space.site.id, null, 'outdoor-temperature');
    if (!indoor || indoor.stale || !outdoor || outdoor.stale) return;
    const nowMs = this.deps.clock.now();
    const occupancy = sensors.latest(s.space.site.id, s.space.space.id, 'occupancy');
    const sample = thermalSampleOf(
      indoor.tsMs,
      indoor.value,
      outdoor.value,
      this.hvacInForce(hvac, s, nowMs),
      {
        solarProxy: solarProxyAt(indoor.tsMs, s.space.site.timezone),
        ...(occupancy && !occupancy.stale ? { occupancy: occupancy.value > 0 ? 1 : 0 } : {}),
      },
    );
    this.thermal.observe(s.space.key, sample, nowMs);
  }

  /** The measured band-hold rule: a space occupied, out of its band, with the HVAC at the limit. */
  private watchBand(s: SpaceRuntime, nowMs: number): void {
    const hvac = s.devices.find((d) => d.device.target.kind === 'hvac');
    if (!hvac || this.modeOf(s) === 'off') return;
    const { sample, limits } = bandHoldInputs({
      space: s.space,
      hvac,
      control: this.control,
      sensors: this.deps.sensors,
      plan: s.plan?.plan,
      hvacInForce: this.hvacInForce(hvac, s, nowMs),
      nowMs,
    });
    this.bandHold.observe(this.watchedOf(s), sample, limits);
  }

  private watchedOf(s: SpaceRuntime) {
    return { siteId: s.space.site.id, spaceId: s.space.space.id, timezone: s.space.site.timezone };
  }

  /** What the unit runs now: our setpoint under lease, else its own schedule; unknown under an override. */
  private hvacInForce(rt: DeviceRuntime, s: SpaceRuntime, nowMs: number): SetpointValue | undefined {
    const rec = rt.record;
    if (rec.overrideUntilMs !== undefined && rec.overrideUntilMs > nowMs) return undefined;
    if (!rec.handedBack && rec.lastValue && (rec.leaseUntilMs ?? 0) > nowMs) return rec.lastValue;
    return deviceScheduleValueAt(rt.device.ctx.device, this.setup.schedules, nowMs, s.space.site.timezone);
  }

  /** Every device of the space at once (each device's own queue keeps its messages in order). */
  private async dispatchSpace(s: SpaceRuntime): Promise<[DeviceRuntime, DispatchResult][]> {
    const inputs = this.inputsOf(s);
    // A change-only occupancy sensor that still says occupied is not dead for being silent: the
    // devices are not handed back to a schedule that may be dark, or off, while someone is there.
    const fresh = this.occupiedNow(s, this.deps.clock.now())
      ? inputs.filter((i) => i.kind !== 'occupancy')
      : inputs;
    const devices = s.devices.filter((rt) => !this.commissioner.has(rt.device.key));
    return Promise.all(
      devices.map(
        async (rt): Promise<[DeviceRuntime, DispatchResult]> => [
          rt,
          await this.dispatcher.dispatch(rt, this.dispatchInput(s, this.wantOf(s), fresh)),
        ],
      ),
    );
  }

  /** The space's latest occupancy reading says occupied (see `occupiedReading`). */
  private occupiedNow(s: SpaceRuntime, nowMs: number): boolean {
    return occupiedReading(this.deps.sensors?.latest(s.space.site.id, s.space.space.id, 'occupancy'), nowMs);
  }

  private dispatchInput(s: SpaceRuntime, want: DeviceWant, inputs: InputFreshness[]) {
    return {
      want,
      inputs,
      release: this.releaseState(),
      spaceMode: this.modeOf(s),
      auditInputs: {
        plan: s.planId,
        ...(s.plan?.inputs ?? {}),
        ...(s.presence ? { presenceUntilMs: s.presence.untilMs } : {}),
      },
    };
  }

  /** What the space's devices are asked for now: its plan held up by presence, or nothing. */
  private wantOf(s: SpaceRuntime): DeviceWant {
    if (!s.plan || !s.planId || this.modeOf(s) === 'off') return { kind: 'none' };
    // A randomized design's schedule day: leases run out and devices return to their schedules.
    if (this.armOf(s, this.deps.clock.now()) === 'schedule') return { kind: 'none' };
    return { kind: 'plan', plan: s.plan.plan, planId: s.planId, presence: s.presence };
  }

  /** Meters and sensors of the space; an input not heard since start counts from the start (no false alarm at boot). */
  private inputsOf(s: SpaceRuntime): InputFreshness[] {
    const meters = this.deps.meters;
    const sensors = this.deps.sensors?.freshness() ?? [];
    return spaceInputs(s.space, (id) => meters?.meter(id)?.lastReadingTsMs ?? undefined, sensors).map(
      (i) => ({ ...i, lastSeenMs: Math.max(i.lastSeenMs ?? this.startedAtMs, this.startedAtMs) }),
    );
  }

  private armOf(s: SpaceRuntime, nowMs: number): DayArm {
    if (!this.deps.dayArm) return 'optimized';
    // Asked per device decision: the memoized local day, not a Luxon DateTime each time.
    const date = isoDate(localFieldsAt(nowMs, s.space.site.timezone).localDay);
    return date ? this.deps.dayArm(s.space.site.id, date) : 'optimized';
  }

  private modeOf(s: SpaceRuntime): SpaceMode {
    return this.modeStatusOf(s).mode;
  }

  private modeStatusOf(s: SpaceRuntime): SpaceModeStatus {
    return (this.deps.modes ?? configModes).resolve(this.control, s.space.site.id, s.space.space.id);
  }

  // ---- presence ----

  /** Occupancy message: raise the lights now (synchronous from the sensor handler to the publish). */
  private onOccupancy(siteId: string, spaceId: string, occupied: boolean, tsMs: number): void {
    if (!this.running) return;
    const s = this.spaces.find((x) => x.space.site.id === siteId && x.space.space.id === spaceId);
    if (!s) return;
    const since = occupiedSinceAfter(s.occupiedSinceMs, occupied, tsMs);
    if (since === undefined) delete s.occupiedSinceMs;
    else s.occupiedSinceMs = since;
    if (this.modeOf(s) === 'off') return;
    const nowMs = this.deps.clock.now();
    const lights = s.devices.filter((rt) => rt.device.target.kind === 'lighting');
    const { presence, raises } = occupancyDecisions(
      lights,
      s.space.space.type,
      s.planId,
      s.presence,
      { occupied, tsMs },
      nowMs,
      this.control,
      this.daylightNow(s, nowMs),
    );
    if (presence) s.presence = presence;
    else delete s.presence;
    const inputs = this.inputsOf(s);
    for (const [rt, want] of raises) {
      void this.dispatcher
        .dispatch(rt, this.dispatchInput(s, want, inputs))
        .then((r) => {
          if (r.kind === 'published')
            this.deps.log.debug(
              { device: rt.device.key, value: describeValue(r.value) },
              'presence: lights raised',
            );
        })
        .catch((error: unknown) => this.deps.log.warn({ err: String(error) }, 'presence dispatch failed'));
    }
  }

  // ---- messages: state reports, release, fire alarm, commissioning requests ----

  private onMessage(m: InboundMessage): void {
    try {
      const text = Buffer.from(m.payload).toString('utf8');
      if (m.topic === this.control.fireAlarm.topic) this.onFireAlarm(text);
      for (const rt of this.byStateTopic.get(m.topic) ?? []) {
        rt.queue = rt.queue
          .then(() => this.onStateReport(rt, text, m.retained))
          .catch((error: unknown) => this.deps.log.warn({ err: String(error) }, 'state report failed'));
      }
    } catch (error) {
      this.deps.log.warn({ topic: m.topic, err: String(error) }, 'control message failed');
    }
  }

  /** Only the documented payloads change the release; anything else is counted, logged and ignored. */
  private onFireAlarm(text: string): void {
    const reading = readFireAlarm(text, this.control.fireAlarm);
    if (reading === 'unknown') {
      this.fireAlarmIgnored += 1;
      const decision = this.fireAlarmLogLimit.check('fire-alarm', this.deps.clock.now());
      if (decision.log)
        this.deps.log.warn(
          { payload: text.slice(0, 80), ignored: this.fireAlarmIgnored, suppressed: decision.suppressed },
          'fire-alarm payload is neither an active nor a clear payload; ignored',
        );
      return;
    }
    void this.setRelease({ ...this.release, fireAlarm: reading === 'active' }, 'fire-alarm');
  }

  private onStateReport(rt: DeviceRuntime, text: string, retained: boolean): void {
    const nowMs = this.deps.clock.now();
    const r = handleStateMessage(rt, text, retained, nowMs, this.control);
    if (r.error) {
      this.rejectedReports.reject(rt.device.key, rt.device.stateTopic ?? '', r.error, nowMs);
      return;
    }
    if (r.acknowledged && rt.record.ackedSetpointId)
      this.deps.audit.markAcknowledged(rt.record.ackedSetpointId, nowMs);
    if (r.overrideStarted && rt.record.overrideUntilMs !== undefined) {
      this.deps.settings.set(overrideKey(rt.device.key), String(rt.record.overrideUntilMs));
      this.deps.log.info(
        { device: rt.device.key, until: new Date(rt.record.overrideUntilMs).toISOString() },
        'manual override: device left alone',
      );
      this.overrideAlerts.add(rt.device.key);
      this.alerts.raise({
        ...overrideAlertPart(rt),
        severity: 'info',
        message: `a person took manual control of ${rt.device.deviceId}; QuietWatt leaves it alone until ${new Date(rt.record.overrideUntilMs).toISOString()}`,
      });
    }
    this.commissioner.onReport(rt, r.echoedId, retained);
  }

  /**
   * Sets the release and dispatches every device at once (not at the next tick). Resolves with the
   * devices handed back, as `device value`; never rejects.
   */
  private async setRelease(
    next: { fireAlarm: boolean; operator: boolean },
    source: string,
  ): Promise<string[]> {
    const was = this.release.fireAlarm || this.release.operator;
    const changed = next.fireAlarm !== this.release.fireAlarm || next.operator !== this.release.operator;
    this.release = next;
    if (!changed) return [];
    const now = next.fireAlarm || next.operator;
    if (now && !was) this.deps.log.warn({ source }, 'release: every device handed back to its own schedule');
    if (!now && was) this.deps.log.warn({ source }, 'release lifted: control resumes');
    try {
      const back: string[] = [];
      const all = await Promise.all(this.spaces.map((s) => this.dispatchSpace(s)));
      for (const [rt, r] of all.flat())
        if (r.kind === 'handed-back') back.push(`${rt.device.key} ${describeValue(r.value)}`);
      if (back.length > 0) this.deps.log.info({ source, handedBack: back.join('; ') }, 'release carried out');
      return back;
    } catch (error) {
      this.deps.log.error({ err: String(error) }, 'release dispatch failed');
      return [];
    }
  }

  // ---- logging ----

  private logTickResult(rt: DeviceRuntime, r: DispatchResult): void {
    if (r.kind === 'handed-back')
      this.deps.log.info(
        { device: rt.device.key, value: describeValue(r.value), why: r.reasons.join(',') },
        'handed back',
      );
    else if (r.kind === 'published')
      this.deps.log.debug(
        { device: rt.device.key, value: describeValue(r.value), renewal: r.renewal },
        'setpoint',
      );
  }

  /** Logs each change of acknowledgement status once: open loop and missing echoes are visible. */
  private watchAcks(): void {
    const nowMs = this.deps.clock.now();
    for (const { rt } of this.byKey.values()) {
      let status = ackOf(rt, nowMs, this.control);
      const sentAt = rt.record.lastCommandAtMs ?? nowMs;
      if (status === 'open-loop' && nowMs - sentAt <= this.control.ackTimeoutSeconds * 1000)
        status = 'pending';
      // A status is reported once it has held for two ticks, so a late echo is no alarm.
      const seen = this.seenAck.get(rt.device.key);
      this.seenAck.set(rt.device.key, status);
      if (seen !== status) continue;
      const message = ackChangeMessage(this.lastAck.get(rt.device.key), status);
      this.lastAck.set(rt.device.key, status);
      if (message) this.deps.log.info({ device: rt.device.key, ack: status }, message);
    }
  }
}

export type { DeviceStatus, SpaceStatus };
