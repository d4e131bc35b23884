import type { ControlConfig } from '../../config/schema/control.js';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import { type Decision, fallbackValue, shutdownOutcome } from '../../domain/safety/apply-safety.js';
import { recordCommissioning } from '../../domain/safety/device-record.js';
import type { Clock } from '../../ports/clock.js';
import type { MeterActivity, SensorValueView } from '../../ports/control-inputs.js';
import type { Logger } from '../../ports/logger.js';
import type { KeyValueStore } from '../../ports/stores.js';
import { newSetpointId } from './audit.js';
import {
  type CommissioningResult,
  commissioningKey,
  evaluateCheck,
  fullOutputLuxOf,
  MIN_LUX_STEP_PCT,
  meterBaseline,
  type PendingCheck,
} from './commissioning.js';
import { fullOutputLuxKey } from './daylight.js';
import type { DeviceRuntime, Dispatcher, DispatchResult } from './dispatcher.js';

/** What the commissioner needs from the control loop around it. */
export interface CommissionerHost {
  readonly clock: Clock;
  readonly log: Logger;
  readonly settings: KeyValueStore;
  readonly meters: MeterActivity | undefined;
  readonly dispatcher: Dispatcher;
  /** The control config in force (it changes on a reload). */
  control(): ControlConfig;
  readonly timeoutMs: number;
  running(): boolean;
  modeOf(rt: DeviceRuntime): SpaceMode;
  /** Runs a decision for the device through the safety layer and publishes it. */
  dispatch(rt: DeviceRuntime, decision: Decision): Promise<DispatchResult>;
  /**
   * Newest illuminance reading of the device's space, for lighting whose full-output illuminance is
   * still unknown (no config value, never measured); undefined when nothing is to be measured.
   */
  luxReading?(rt: DeviceRuntime): SensorValueView | undefined;
  /** After a pass: dispatch the device's space so the plan takes over at once. */
  resume(rt: DeviceRuntime): void;
  /** Every recorded result (alerts on failures). */
  onResult?(rt: DeviceRuntime, result: CommissioningResult): void;
}

const STOPPED: CommissioningResult = {
  passed: false,
  atMs: 0,
  stateReport: false,
  meter: 'silent',
  detail: 'stopped',
};

/**
 * Commissioning checks: send a command, confirm the state report, confirm the meter responds; the
 * result is recorded in the settings store and the device record. While a check runs the device
 * gets nothing else.
 */
export class Commissioner {
  private readonly pending = new Map<string, { rt: DeviceRuntime; check: PendingCheck }>();

  constructor(private readonly host: CommissionerHost) {}

  has(deviceKey: string): boolean {
    return this.pending.has(deviceKey);
  }

  /** Starts a check, or joins the one running for the device. */
  run(rt: DeviceRuntime): Promise<CommissioningResult> {
    const existing = this.pending.get(rt.device.key);
    if (existing) return new Promise((resolve) => existing.check.waiters.push(resolve));
    return this.start(rt);
  }

  /** A state message arrived for a device (native: `echoedId` must be the check's setpoint). */
  onReport(rt: DeviceRuntime, echoedId: string | undefined, retained: boolean): void {
    const p = this.pending.get(rt.device.key);
    if (!p || retained) return;
    if (rt.device.target.output === 'native' && echoedId !== p.check.setpointId) return;
    if (!p.check.stateSeen) p.check.stateSeenAtMs = this.host.clock.now();
    p.check.stateSeen = true;
    this.evaluate();
  }

  /** Decides every check that can be decided now (passed, or timed out). */
  evaluate(): void {
    const nowMs = this.host.clock.now();
    for (const [key, p] of this.pending) {
      const result = evaluateCheck(p.check, this.host.meters, nowMs, this.host.timeoutMs);
      if (!result) continue;
      if (result.passed && p.check.lux) {
        // The illuminance step needs a reading taken after the controller applied the level.
        const after = this.host.luxReading?.(p.rt);
        const since = p.check.stateSeenAtMs ?? p.check.sentAtMs;
        const fresh = after !== undefined && !after.stale && after.tsMs > since;
        if (!fresh && nowMs - p.check.sentAtMs < this.host.timeoutMs) continue;
        const lux = fresh ? fullOutputLuxOf(p.check.lux, after.value) : undefined;
        if (lux !== undefined) {
          this.host.settings.set(fullOutputLuxKey(p.rt.device.key), String(lux));
          this.finish(key, {
            ...result,
            fullOutputLux: lux,
            detail: `${result.detail}; ${Math.round(lux)} lx at 100 %`,
          });
          continue;
        }
        this.finish(key, { ...result, detail: `${result.detail}; illuminance step not measured` });
        continue;
      }
      this.finish(key, result);
    }
  }

  /** On stop: waiters learn the check did not finish; nothing is recorded. */
  stop(): void {
    for (const [key, p] of this.pending) {
      this.pending.delete(key);
      for (const w of p.check.waiters) w(STOPPED);
    }
  }

  private async start(rt: DeviceRuntime): Promise<CommissioningResult> {
    const d = rt.device;
    const nowMs = this.host.clock.now();
    const fail = (detail: string): CommissioningResult => ({
      passed: false,
      atMs: nowMs,
      stateReport: false,
      meter: d.meterIds.length === 0 ? 'no-meter' : 'silent',
      detail,
    });
    if (this.host.modeOf(rt) !== 'active') return fail('space is not active: a check must send a command');
    if (d.stateTopic === undefined) {
      const r = fail('device has no state topic: the command cannot be confirmed');
      this.record(rt, r);
      return r;
    }
    // The device's own schedule value: a check nobody on site notices. Lighting whose full-output
    // illuminance is unknown is raised to full instead (never dimmed), to measure the step.
    let value = fallbackValue(d.ctx, d.target, nowMs);
    let lux: PendingCheck['lux'];
    const before = this.host.luxReading?.(rt);
    const fullPct = Math.min(100, d.ctx.device.limits.maxLevelPct ?? 100);
    if (
      value.kind === 'lighting' &&
      before &&
      !before.stale &&
      fullPct - value.levelPct >= MIN_LUX_STEP_PCT
    ) {
      const last = rt.record.lastValue;
      const fromPct = !rt.record.handedBack && last?.kind === 'lighting' ? last.levelPct : value.levelPct;
      lux = { beforeLux: before.value, fromPct, toPct: fullPct };
      value = { kind: 'lighting', levelPct: fullPct };
    }
    const decision: Decision = {
      setpointId: newSetpointId(d.deviceId, nowMs),
      planId: `commissioning-${d.deviceId}`,
      value,
      validUntilMs: nowMs + this.host.control().leaseMaxMinutes * 60_000,
      reason: 'commissioning check',
      source: 'commissioning',
    };
    const check: PendingCheck = {
      setpointId: decision.setpointId,
      sentAtMs: nowMs,
      meterBaseline: meterBaseline(this.host.meters, d.meterIds),
      stateSeen: false,
      ...(lux ? { lux } : {}),
      waiters: [],
    };
    this.pending.set(d.key, { rt, check });
    const result = new Promise<CommissioningResult>((resolve) => check.waiters.push(resolve));
    const r = await this.host.dispatch(rt, decision);
    if (r.kind !== 'published') {
      const why = 'reasons' in r ? r.reasons.join(', ') : r.kind === 'failed' ? r.error : r.kind;
      this.finish(d.key, fail(`command not sent (${why})`));
    } else {
      this.host.log.info({ device: d.key, setpointId: r.setpointId }, 'commissioning: command sent');
    }
    return result;
  }

  private finish(key: string, result: CommissioningResult): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.record(p.rt, result);
    for (const w of p.check.waiters) w(result);
    if (!this.host.running()) return;
    if (result.passed) {
      this.host.resume(p.rt);
      return;
    }
    // The check's command must not outlive a failed check.
    const outcome = shutdownOutcome({ record: p.rt.record }, p.rt.device.ctx, this.host.clock.now());
    void this.host.dispatcher
      .carryOut(p.rt, outcome, { cause: 'commissioning-failed' })
      .catch(() => undefined);
  }

  private record(rt: DeviceRuntime, result: CommissioningResult): void {
    rt.record = recordCommissioning(rt.record, result.passed, result.atMs);
    this.host.settings.set(commissioningKey(rt.device.key), JSON.stringify(result));
    this.host.onResult?.(rt, result);
    const line = { device: rt.device.key, meter: result.meter, detail: result.detail };
    if (result.passed) this.host.log.info(line, 'commissioning passed');
    else this.host.log.warn(line, 'commissioning failed');
  }
}
