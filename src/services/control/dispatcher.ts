import {
  type DeviceWant,
  type NextValue,
  nextDeviceValue,
  recordSent,
  verdictOf,
} from '../../domain/control/next-value.js';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import type { Decision, SafetyOutcome } from '../../domain/safety/apply-safety.js';
import type { ReleaseState } from '../../domain/safety/context.js';
import type { DeviceRecord } from '../../domain/safety/device-record.js';
import { messagesForOutcome } from '../../domain/safety/emit.js';
import type { InputFreshness } from '../../domain/safety/staleness.js';
import type { SetpointValue } from '../../domain/setpoints/contract.js';
import type { EncodedMessage } from '../../domain/setpoints/encoded.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { MessageBus } from '../../ports/message-bus.js';
import type { SetpointAuditStore } from '../../ports/stores.js';
import { HANDBACK_PLAN_ID, newSetpointId, valueJson } from './audit.js';
import type { ControlledDevice } from './catalogue.js';

/** What one device knows between decisions; `record` changes only after a publish succeeded. */
export interface DeviceRuntime {
  /** Replaced on a config reload (the record stays). */
  device: ControlledDevice;
  record: DeviceRecord;
  /** Last unpublished decision written to the audit log (shadow, held): logged again only on change. */
  lastUnpublished?: string | undefined;
  /** Serializes everything that touches this device (plan, tick, occupancy, reports, release). */
  queue: Promise<unknown>;
}

export interface DispatchInput {
  /** What the device is asked for now; decided when its turn in the queue comes. */
  readonly want: DeviceWant;
  readonly inputs: readonly InputFreshness[];
  readonly release: ReleaseState;
  /** The space's mode in force (operator or config). */
  readonly spaceMode?: SpaceMode;
  /** What the decision was made from, for the audit log. */
  readonly auditInputs: Readonly<Record<string, unknown>>;
}

export type DispatchResult =
  | {
      readonly kind: 'published';
      readonly value: SetpointValue;
      readonly setpointId: string;
      readonly renewal: boolean;
    }
  | { readonly kind: 'handed-back'; readonly value: SetpointValue; readonly reasons: readonly string[] }
  | { readonly kind: 'unpublished'; readonly value: SetpointValue; readonly reasons: readonly string[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'none'; readonly reasons: readonly string[] }
  | { readonly kind: 'failed'; readonly error: string };

export function describeValue(v: SetpointValue): string {
  if (v.kind === 'lighting') return `${Math.round(v.levelPct * 10) / 10}%`;
  switch (v.mode) {
    case 'cool':
    case 'heat':
      return `${v.mode} ${v.setpointC}°C`;
    case 'auto':
      return `auto ${v.heatSetpointC}-${v.coolSetpointC}°C`;
    default:
      return v.mode;
  }
}

const PUBLISH_TIMEOUT_MS = 10_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one device through the safety layer and carries out the outcome: publish the encoded
 * messages, then (only once the publish succeeded) update the record and the audit log. A value
 * already in force is not published again until its lease is due for renewal.
 */
export class Dispatcher {
  constructor(
    private readonly deps: {
      readonly bus: MessageBus;
      readonly audit: SetpointAuditStore;
      readonly clock: Clock;
      readonly log: Logger;
    },
  ) {}

  /** Queued behind anything else running for the device. */
  dispatch(rt: DeviceRuntime, input: DispatchInput): Promise<DispatchResult> {
    const run = rt.queue.then(() => this.run(rt, input));
    rt.queue = run.catch(() => undefined);
    return run;
  }

  /** Carries out an outcome computed elsewhere (shutdown hand-back, failed commissioning). */
  carryOut(
    rt: DeviceRuntime,
    outcome: SafetyOutcome,
    auditInputs: Readonly<Record<string, unknown>>,
  ): Promise<DispatchResult> {
    const run = rt.queue.then(() => {
      const nowMs = this.deps.clock.now();
      const next = {
        decision: undefined,
        outcome,
        ...verdictOf(outcome, undefined, rt.record, rt.device.ctx, nowMs),
      };
      return this.execute(rt, next, auditInputs, nowMs);
    });
    rt.queue = run.catch(() => undefined);
    return run;
  }

  private async run(rt: DeviceRuntime, input: DispatchInput): Promise<DispatchResult> {
    const nowMs = this.deps.clock.now();
    const next = nextDeviceValue({
      want: input.want,
      state: {
        record: rt.record,
        inputs: input.inputs,
        release: input.release,
        ...(input.spaceMode === undefined ? {} : { spaceMode: input.spaceMode }),
      },
      ctx: rt.device.ctx,
      setpointId: newSetpointId(rt.device.deviceId, nowMs),
      nowMs,
    });
    return this.execute(rt, next, input.auditInputs, nowMs);
  }

  private async execute(
    rt: DeviceRuntime,
    next: NextValue,
    auditInputs: Readonly<Record<string, unknown>>,
    nowMs: number,
  ): Promise<DispatchResult> {
    const d = rt.device;
    const { outcome, decision } = next;
    if (outcome.action === 'none') return { kind: 'none', reasons: outcome.reasons };
    if (next.verdict === 'unsent') {
      this.recordUnpublished(rt, outcome, decision, auditInputs, nowMs);
      return { kind: 'unpublished', value: outcome.value, reasons: outcome.reasons };
    }
    rt.lastUnpublished = undefined;
    if (next.verdict === 'unchanged') return { kind: 'unchanged' };
    const setpoint = outcome.action === 'setpoint';
    const id = setpoint ? outcome.payload.id : newSetpointId(d.deviceId, nowMs);
    this.audit({
      device: d,
      id,
      outcome,
      planId: setpoint ? outcome.payload.planId : HANDBACK_PLAN_ID,
      reason: setpoint ? outcome.payload.reason : `hand-back: ${outcome.reasons.join(', ')}`,
      validUntilMs: setpoint ? outcome.validUntilMs : nowMs,
      auditInputs: setpoint
        ? { ...auditInputs, source: decision?.source, safety: outcome.reasons }
        : { ...auditInputs, safety: outcome.reasons },
      nowMs,
    });
    const sent = await this.publishAll(messagesForOutcome(outcome, d.target, d.ctx, nowMs), d);
    if (sent !== true) return { kind: 'failed', error: sent };
    rt.record = recordSent(rt.record, outcome, nowMs);
    this.markPublished(id, nowMs);
    return setpoint
      ? { kind: 'published', value: outcome.value, setpointId: id, renewal: next.renewal }
      : { kind: 'handed-back', value: outcome.value, reasons: outcome.reasons };
  }

  private recordUnpublished(
    rt: DeviceRuntime,
    outcome: Exclude<SafetyOutcome, { action: 'none' }>,
    decision: Decision | undefined,
    auditInputs: Readonly<Record<string, unknown>>,
    nowMs: number,
  ): void {
    const key = `${outcome.action}:${valueJson(outcome.value)}:${outcome.reasons.join(',')}`;
    if (rt.lastUnpublished === key) return;
    rt.lastUnpublished = key;
    const setpoint = outcome.action === 'setpoint';
    this.audit({
      device: rt.device,
      id: setpoint ? outcome.payload.id : newSetpointId(rt.device.deviceId, nowMs),
      outcome,
      planId: setpoint ? outcome.payload.planId : HANDBACK_PLAN_ID,
      reason: setpoint ? outcome.payload.reason : `hand-back: ${outcome.reasons.join(', ')}`,
      validUntilMs: setpoint ? outcome.validUntilMs : nowMs,
      auditInputs: { ...auditInputs, source: decision?.source, safety: outcome.reasons },
      nowMs,
    });
  }

  private audit(a: {
    device: ControlledDevice;
    id: string;
    outcome: Exclude<SafetyOutcome, { action: 'none' }>;
    planId: string;
    reason: string;
    validUntilMs: number;
    auditInputs: Readonly<Record<string, unknown>>;
    nowMs: number;
  }): void {
    try {
      this.deps.audit.record({
        id: a.id,
        siteId: a.device.siteId,
        spaceId: a.device.spaceId,
        deviceId: a.device.deviceId,
        kind: a.outcome.value.kind,
        valueJson: valueJson(a.outcome.value),
        reason: a.reason.slice(0, 200),
        mode: a.outcome.spaceMode,
        inputsJson: JSON.stringify(a.auditInputs),
        decidedAtMs: a.nowMs,
        validUntilMs: a.validUntilMs,
        planId: a.planId,
        publishedAtMs: null,
        acknowledgedAtMs: null,
      });
    } catch (error) {
      this.deps.log.warn({ setpointId: a.id, err: errorText(error) }, 'audit record failed');
    }
  }

  private markPublished(id: string, nowMs: number): void {
    try {
      this.deps.audit.markPublished(id, nowMs);
    } catch (error) {
      this.deps.log.warn({ setpointId: id, err: errorText(error) }, 'audit update failed');
    }
  }

  private async publishAll(messages: readonly EncodedMessage[], d: ControlledDevice): Promise<true | string> {
    try {
      for (const m of messages) {
        await withTimeout(
          this.deps.bus.publish(m.topic, m.payload, {
            qos: m.qos,
            retain: m.retain,
            ...(m.messageExpirySeconds === undefined ? {} : { messageExpirySeconds: m.messageExpirySeconds }),
          }),
          PUBLISH_TIMEOUT_MS,
        );
      }
      return true;
    } catch (error) {
      const text = errorText(error);
      this.deps.log.warn({ device: d.key, err: text }, 'setpoint publish failed; retried on the next tick');
      return text;
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish not confirmed within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
