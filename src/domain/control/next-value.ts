import type { SpacePlan } from '../planning/types.js';
import { plannedValueAt } from '../planning/value-at.js';
import { applySafety, type Decision, type SafetyOutcome } from '../safety/apply-safety.js';
import type { SafetyContext, SafetyState } from '../safety/context.js';
import {
  type DeviceRecord,
  recordHandedBack,
  recordSetpointPublished,
  renewDue,
} from '../safety/device-record.js';
import type { SetpointValue } from '../setpoints/contract.js';
import type { Presence } from './presence.js';

/** What is asked of one device now, before the safety layer. */
export type DeviceWant =
  /** Nothing of ours: no plan (space off, not planned yet, a schedule day of a randomized design). */
  | { readonly kind: 'none' }
  /** The plan's value now, raised to the presence level while presence holds the lights. */
  | {
      readonly kind: 'plan';
      readonly plan: SpacePlan;
      readonly planId: string;
      readonly presence?: Presence | undefined;
    }
  /** Presence seen: the lights go up now, without waiting for the plan. */
  | { readonly kind: 'raise'; readonly planId: string; readonly levelPct: number; readonly reason: string }
  /** A decision made elsewhere (a commissioning command). */
  | { readonly kind: 'decision'; readonly decision: Decision };

export interface NextValueInput {
  readonly want: DeviceWant;
  /** Device record (lease, last value, override hold, commissioning) and the space's inputs, release, mode. */
  readonly state: SafetyState;
  /** The device's bounds, schedules and control settings. */
  readonly ctx: SafetyContext;
  /** Id of the setpoint if one is made now (the caller knows what is unique where it runs). */
  readonly setpointId: string;
  readonly nowMs: number;
}

/**
 * send: publish the outcome; unchanged: the value in force stays and nothing is sent; unsent:
 * computed but not to be published (shadow mode, not commissioned); none: nothing to do.
 */
export type Verdict = 'send' | 'unchanged' | 'unsent' | 'none';

export interface NextValue {
  readonly decision: Decision | undefined;
  readonly outcome: SafetyOutcome;
  readonly verdict: Verdict;
  /** The setpoint to send renews the lease of the value in force. */
  readonly renewal: boolean;
}

function sameValue(a: SetpointValue | undefined, b: SetpointValue): boolean {
  if (a === undefined) return false;
  const norm = (v: SetpointValue) => JSON.stringify(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

/** The decision a want makes now, before safety; undefined when there is none. */
export function decisionOf(
  want: DeviceWant,
  deviceId: string,
  setpointId: string,
  ctx: SafetyContext,
  nowMs: number,
): Decision | undefined {
  const validUntilMs = nowMs + ctx.control.leaseMaxMinutes * 60_000;
  switch (want.kind) {
    case 'none':
      return undefined;
    case 'decision':
      return want.decision;
    case 'raise':
      return {
        setpointId,
        planId: want.planId,
        value: { kind: 'lighting', levelPct: want.levelPct },
        validUntilMs,
        reason: want.reason,
        source: 'occupancy',
      };
    case 'plan': {
      const planned = plannedValueAt(want.plan, deviceId, nowMs);
      if (!planned) return undefined;
      const p = want.presence;
      const raised =
        planned.value.kind === 'lighting' && p && p.untilMs > nowMs && p.levelPct > planned.value.levelPct;
      return {
        setpointId,
        planId: want.planId,
        value: raised ? { kind: 'lighting', levelPct: p.levelPct } : planned.value,
        validUntilMs,
        reason: raised ? 'presence: level held' : planned.reason,
        source: 'plan',
      };
    }
  }
}

/**
 * What to do with a safety outcome given what the device already has: a setpoint equal to the
 * value in force is not sent again until its lease is due for renewal (a commissioning command
 * always goes; after a manual override the device's state is unknown, so it is sent again).
 */
export function verdictOf(
  outcome: SafetyOutcome,
  decision: Decision | undefined,
  record: DeviceRecord,
  ctx: SafetyContext,
  nowMs: number,
): { readonly verdict: Verdict; readonly renewal: boolean } {
  if (outcome.action === 'none') return { verdict: 'none', renewal: false };
  if (!outcome.publish) return { verdict: 'unsent', renewal: false };
  if (outcome.action !== 'setpoint') return { verdict: 'send', renewal: false };
  const inForce =
    !record.handedBack &&
    record.leaseUntilMs !== undefined &&
    record.leaseUntilMs > nowMs &&
    sameValue(record.lastValue, outcome.value) &&
    !(record.overrideUntilMs !== undefined && record.overrideUntilMs > (record.lastCommandAtMs ?? 0));
  const renewal = inForce && renewDue(record, nowMs, ctx.control);
  if (inForce && !renewal && decision?.source !== 'commissioning') return { verdict: 'unchanged', renewal };
  return { verdict: 'send', renewal };
}

/**
 * The one place a device's next value is decided, for the control service and the savings bench
 * alike: the plan's value (held up by presence) or an event's, through the safety layer (bounds,
 * rate limits, mode spacing, leases, override hold, commissioning, release, stale inputs), then
 * whether it needs sending. Pure: time is `nowMs`.
 */
export function nextDeviceValue(input: NextValueInput): NextValue {
  const { want, state, ctx, nowMs } = input;
  const decision = decisionOf(want, ctx.device.id, input.setpointId, ctx, nowMs);
  const outcome = applySafety(decision, state, ctx, nowMs);
  return { decision, outcome, ...verdictOf(outcome, decision, state.record, ctx, nowMs) };
}

/** The device's record once a sent outcome was published. */
export function recordSent(
  record: DeviceRecord,
  outcome: Exclude<SafetyOutcome, { action: 'none' }>,
  nowMs: number,
): DeviceRecord {
  return outcome.action === 'setpoint'
    ? recordSetpointPublished(
        record,
        { id: outcome.payload.id, value: outcome.value, validUntilMs: outcome.validUntilMs },
        nowMs,
      )
    : recordHandedBack(record, outcome.value, nowMs);
}
