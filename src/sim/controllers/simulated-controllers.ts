import type { QuietWattConfig } from '../../config/schema/index.js';
import { localTime } from '../model/calendar.js';
import type { CommunityModel, DeviceModel, SiteModel } from '../model/community.js';
import { newStream, Rng, type RngState } from '../model/rng.js';
import { hvacCommandFor, lightingLevelFor } from '../model/space-step.js';
import type { CommunityState, DeviceLease } from '../model/state.js';
import {
  applyCommand,
  type ControllerState,
  effectiveCommand,
  initialControllerState,
} from './device-controller.js';
import { drawOverride, type OverrideParams, overridable } from './overrides.js';
import { type ControllerSpec, controllerSpecs } from './spec.js';
import { type ControlValue, hvacValue, leaseOf, reportValue } from './value.js';

/** A state report due for publishing. */
export interface StateReportOut {
  readonly topic: string;
  readonly payload: string;
  readonly deviceId: string;
}

export interface ControllerStats {
  readonly commands: number;
  readonly rejected: number;
  readonly overrides: number;
  readonly reports: number;
}

interface Entry {
  readonly spec: ControllerSpec;
  readonly device: DeviceModel & { kind: 'lighting' | 'hvac' };
  readonly site: SiteModel;
  state: ControllerState;
  rng: RngState | undefined;
  lastReportKey: string;
  overrides: number;
  /** End of the last override or of the service's hold after it, whichever is later. */
  manualUntilMs: number;
}

/**
 * The building's controllers, played by the simulator: they take commands on each device's
 * command topic in its output format, run the command in force (override, native lease, preset
 * value, else their schedule), publish state reports when their state changes, and now and then a
 * resident overrides one. Plain state plus a little bookkeeping; the caller moves the messages.
 */
export class SimulatedControllers {
  private readonly entries = new Map<string, Entry>();
  private readonly byTopic = new Map<string, Entry[]>();
  private commands = 0;
  private reportsSent = 0;
  private readonly holdMs: number;

  constructor(
    config: QuietWattConfig,
    private readonly model: CommunityModel,
    private readonly overrideParams: OverrideParams = config.simulator.overrides,
  ) {
    this.holdMs = config.control.overrideHoldMinutes * 60_000;
    const devices = new Map<string, { device: DeviceModel; site: SiteModel }>();
    for (const site of model.sites)
      for (const space of site.spaces)
        for (const device of space.devices) devices.set(device.id, { device, site });
    for (const spec of controllerSpecs(config)) {
      const found = devices.get(spec.deviceId);
      if (!found || (found.device.kind !== 'lighting' && found.device.kind !== 'hvac')) continue;
      const entry: Entry = {
        spec,
        device: found.device,
        site: found.site,
        state: initialControllerState(),
        rng: overridable(spec, this.overrideParams)
          ? newStream(model.seed, `override:${spec.deviceId}`)
          : undefined,
        lastReportKey: '',
        overrides: 0,
        manualUntilMs: Number.NEGATIVE_INFINITY,
      };
      this.entries.set(spec.deviceId, entry);
      for (const topic of [...spec.commandTopics, spec.statusTopic]) {
        const list = this.byTopic.get(topic) ?? [];
        list.push(entry);
        this.byTopic.set(topic, list);
      }
    }
  }

  /** Every topic the controllers listen on (command topics and the service's availability). */
  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  specs(): ControllerSpec[] {
    return [...this.entries.values()].map((e) => e.spec);
  }

  controllerState(deviceId: string): ControllerState | undefined {
    return this.entries.get(deviceId)?.state;
  }

  /** A command (or availability) message arrived. */
  onMessage(topic: string, payload: string, nowMs: number): void {
    const list = this.byTopic.get(topic);
    if (!list) return;
    for (const e of list) {
      const r = applyCommand(e.spec, e.state, topic, payload, nowMs);
      e.state = r.state;
      if (topic !== e.spec.statusTopic) this.commands++;
    }
  }

  /**
   * Before the step that starts at `state.tMs`: residents may take over a device, then every
   * device's command in force is written into the model's leases.
   */
  prepareStep(state: CommunityState): CommunityState {
    const t0 = state.tMs;
    const dtS = this.model.stepMs / 1000;
    const leases: Record<string, DeviceLease> = {};
    for (const e of this.entries.values()) {
      if (e.rng) {
        const rng = new Rng(e.rng);
        const space = state.spaces[e.spec.spaceKey];
        const present = (space?.occupancy.count ?? 0) > 0;
        const outdoorC = state.sites[e.spec.siteId]?.now.outdoorC ?? 20;
        const active = e.state.override !== undefined && t0 < e.state.override.untilMs;
        const draw = drawOverride(e.spec, this.overrideParams, rng, dtS, present, outdoorC);
        e.rng = rng.state();
        if (draw && !active) {
          e.state = { ...e.state, override: { value: draw.value, untilMs: t0 + draw.durationMs } };
          e.overrides++;
          // The report announcing it reaches the service with the step's other messages, one step on.
          e.manualUntilMs = Math.max(t0 + draw.durationMs, t0 + this.holdMs + this.model.stepMs);
        }
      }
      const cmd = effectiveCommand(e.spec, e.state, t0);
      if (cmd.value) leases[e.spec.deviceId] = leaseOf(cmd.value, cmd.untilMs);
    }
    return { ...state, leases };
  }

  /** What a device runs at `tMs`, its schedule's value included. */
  currentValue(deviceId: string, tMs: number): ControlValue | undefined {
    const e = this.entries.get(deviceId);
    if (!e) return undefined;
    const cmd = effectiveCommand(e.spec, e.state, tMs);
    return cmd.value ?? this.scheduleValue(e, tMs);
  }

  private scheduleValue(e: Entry, tMs: number): ControlValue {
    const at = localTime(tMs, e.site.timezone, e.site.holidayRule);
    if (e.device.kind === 'lighting')
      return { kind: 'lighting', levelPct: lightingLevelFor(e.device, undefined, tMs, at) };
    const c = hvacCommandFor(e.device, undefined, tMs, at);
    return (
      (c.mode === 'auto'
        ? hvacValue('auto', undefined, c.setpointC - 1, c.setpointC + 1)
        : hvacValue(c.mode, c.setpointC)) ?? { kind: 'hvac', mode: 'off' }
    );
  }

  /** State reports of controllers whose state changed since their last report (value, id or override). */
  reports(tMs: number): StateReportOut[] {
    const out: StateReportOut[] = [];
    for (const e of this.entries.values()) {
      const topic = e.spec.stateTopic;
      if (topic === undefined) continue;
      const cmd = effectiveCommand(e.spec, e.state, tMs);
      const value = reportValue(cmd.value ?? this.scheduleValue(e, tMs));
      const key = JSON.stringify([value, cmd.appliedSetpointId, cmd.override]);
      if (key === e.lastReportKey) continue;
      e.lastReportKey = key;
      const payload = JSON.stringify({
        contract: 1,
        ts: new Date(tMs).toISOString(),
        value,
        appliedSetpointId: cmd.appliedSetpointId,
        override: cmd.override,
      });
      out.push({ topic, payload, deviceId: e.spec.deviceId });
      this.reportsSent++;
    }
    return out;
  }

  /**
   * Whether a resident has the device, or had it so recently that the service still leaves it alone
   * (`control.overrideHoldMinutes` after the override began): nobody's automation is in charge then.
   */
  underManualControl(deviceId: string, tMs: number): boolean {
    const e = this.entries.get(deviceId);
    return e !== undefined && e.overrides > 0 && tMs < e.manualUntilMs;
  }

  overrideCount(deviceId: string): number {
    return this.entries.get(deviceId)?.overrides ?? 0;
  }

  stats(): ControllerStats {
    let rejected = 0;
    let overrides = 0;
    for (const e of this.entries.values()) {
      rejected += e.state.rejected;
      overrides += e.overrides;
    }
    return { commands: this.commands, rejected, overrides, reports: this.reportsSent };
  }
}
