import { type SpaceMode, spaceModeOf } from '../control/space-mode.js';
import type { SetpointPayload, SetpointValue } from '../setpoints/contract.js';
import { type OutputTarget, supportsKind } from '../setpoints/encoded.js';
import { makeSetpointPayload } from '../setpoints/native.js';
import { levelScaleOf } from '../setpoints/resolution.js';
import { boundValue, type Limits } from './bounds.js';
import { outputTargetOf, type SafetyContext, type SafetyState } from './context.js';
import { type DeviceRecord, leaseExpired, overrideActive } from './device-record.js';
import { deviceScheduleValueAt } from './schedule-value.js';
import { staleInputs } from './staleness.js';

export type DecisionSource = 'plan' | 'occupancy' | 'commissioning';

/** A setpoint some part of QuietWatt wants, before safety. */
export interface Decision {
  readonly setpointId: string;
  readonly planId: string;
  readonly value: SetpointValue;
  readonly validUntilMs: number;
  readonly reason: string;
  readonly source: DecisionSource;
}

interface OutcomeBase {
  readonly reasons: readonly string[];
  readonly spaceMode: SpaceMode;
}

/**
 * What to do with a device now. `publish: false` means computed but not sent (shadow mode,
 * uncommissioned device): the audit log still records it.
 */
export type SafetyOutcome =
  | (OutcomeBase & {
      readonly action: 'setpoint';
      readonly publish: boolean;
      readonly value: SetpointValue;
      readonly payload: SetpointPayload;
      readonly issuedAtMs: number;
      readonly validUntilMs: number;
    })
  | (OutcomeBase & { readonly action: 'fallback'; readonly publish: boolean; readonly value: SetpointValue })
  | (OutcomeBase & { readonly action: 'none'; readonly publish: false });

function sameValue(a: SetpointValue | undefined, b: SetpointValue): boolean {
  if (a === undefined) return false;
  const norm = (v: SetpointValue) => JSON.stringify(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

function modeHeld(rec: DeviceRecord, value: SetpointValue, ctx: SafetyContext, nowMs: number): boolean {
  if (value.kind !== 'hvac' || rec.lastMode === undefined || value.mode === rec.lastMode) return false;
  if (rec.lastModeChangeAtMs === undefined) return false;
  return nowMs - rec.lastModeChangeAtMs < ctx.control.hvacMinModeChangeMinutes * 60_000;
}

/** The device's schedule value now, inside its bounds. */
export function fallbackValue(ctx: SafetyContext, target: OutputTarget, nowMs: number): SetpointValue {
  const raw = deviceScheduleValueAt(ctx.device, ctx.schedules, nowMs, ctx.timezone);
  return boundValue(raw, target, ctx.device, ctx.spaceType, ctx.control);
}

/**
 * The safety layer, applied last to every setpoint whatever produced it (plans, occupancy
 * events, commissioning), and on every tick without a decision (expiry, stale data, release).
 * Pure: time is `nowMs`.
 */
export function applySafety(
  decision: Decision | undefined,
  state: SafetyState,
  ctx: SafetyContext,
  nowMs: number,
): SafetyOutcome {
  const spaceMode = state.spaceMode ?? spaceModeOf(ctx.control, ctx.siteId, ctx.spaceId);
  const rec = state.record;
  const none = (...reasons: string[]): SafetyOutcome => ({
    action: 'none',
    publish: false,
    reasons,
    spaceMode,
  });
  const target = outputTargetOf(ctx);
  // Life-safety equipment is never commanded, not even handed back: it was never ours.
  if (target === undefined) return none('life-safety');
  if (!supportsKind(target.output, target.kind)) return none(`unsupported-output:${target.output}`);
  if (overrideActive(rec, nowMs)) return none('override-hold');

  const preset = target.output !== 'native';
  const outstanding = !rec.handedBack;
  const fb = fallbackValue(ctx, target, nowMs);
  const handback = (respectModeHold: boolean, publish: boolean, ...reasons: string[]): SafetyOutcome => {
    if (respectModeHold && modeHeld(rec, fb, ctx, nowMs)) return none('mode-hold', ...reasons);
    return { action: 'fallback', publish, value: fb, reasons, spaceMode };
  };
  // A preset device QuietWatt has driven keeps following its schedule while QuietWatt stands back.
  const follows =
    preset && spaceMode === 'active' && rec.lastValue !== undefined && !sameValue(rec.lastValue, fb);

  if (spaceMode === 'off')
    return outstanding ? handback(true, true, 'space-off', 'handback') : none('space-off');

  const release = state.release;
  if (release?.fireAlarm || release?.operator) {
    const why = release.fireAlarm ? 'release:fire-alarm' : 'release:operator';
    // At once: no mode hold on a release.
    if (outstanding) return handback(false, true, why, 'handback');
    return follows ? handback(false, true, why, 'follow-schedule') : none(why);
  }

  if (spaceMode === 'shadow' && outstanding) return handback(true, true, 'space-shadow', 'handback');

  const stale = staleInputs(state.inputs ?? [], ctx.control, nowMs);
  if (stale.length > 0) {
    const why = `stale:${stale.map((s) => s.id).join(',')}`;
    if (outstanding) return handback(true, true, why, 'handback');
    if (spaceMode === 'shadow') return handback(true, false, why, 'shadow');
    return follows ? handback(true, true, why, 'follow-schedule') : none(why);
  }

  if (decision === undefined) {
    // A native controller has already fallen back by itself at validUntil: nothing left to hold.
    if (outstanding && leaseExpired(rec, nowMs)) return handback(preset, true, 'lease-expired', 'handback');
    if (!outstanding && follows) return handback(true, true, 'follow-schedule');
    return none('no-decision');
  }

  if (decision.value.kind !== target.kind) return none(`kind-mismatch:${decision.value.kind}`);
  if (decision.validUntilMs <= nowMs) return none('expired-on-arrival');
  const reasons: string[] = [];
  const maxUntil = nowMs + ctx.control.leaseMaxMinutes * 60_000;
  const validUntilMs = Math.min(decision.validUntilMs, maxUntil);
  if (validUntilMs < decision.validUntilMs) reasons.push('lease-capped');

  let wanted = decision.value;
  const limits: { -readonly [K in keyof Limits]: Limits[K] } = {};
  const last = rec.lastValue;
  const minutesSince = rec.lastCommandAtMs === undefined ? undefined : (nowMs - rec.lastCommandAtMs) / 60_000;
  if (wanted.kind === 'lighting') {
    // Dimming is rate limited; raising is immediate (presence cannot wait). A relay just switches.
    if (last?.kind === 'lighting' && minutesSince !== undefined && levelScaleOf(target).unitsMax > 1) {
      limits.minLevelPct = last.levelPct - ctx.control.lightingDecreasePctPerMinute * minutesSince;
    }
  } else {
    if (modeHeld(rec, wanted, ctx, nowMs) && last?.kind === 'hvac') {
      wanted = last;
      reasons.push('mode-hold');
    }
    if (
      last?.kind === 'hvac' &&
      wanted.kind === 'hvac' &&
      last.mode === wanted.mode &&
      minutesSince !== undefined
    ) {
      limits.maxSetpointDeltaC = ctx.control.hvacSetpointChangeCPerMinute * minutesSince;
      if (last.mode === 'cool' || last.mode === 'heat') limits.prevSetpointC = last.setpointC;
      if (last.mode === 'auto') {
        limits.prevHeatSetpointC = last.heatSetpointC;
        limits.prevCoolSetpointC = last.coolSetpointC;
      }
    }
  }
  const value = boundValue(wanted, target, ctx.device, ctx.spaceType, ctx.control, limits);
  if (!sameValue(value, wanted)) reasons.push('bounded');

  const commissioned =
    !ctx.control.requireCommissioning ||
    rec.commissioning === 'passed' ||
    decision.source === 'commissioning';
  let publish = spaceMode === 'active';
  if (!publish) reasons.push('shadow');
  else if (!commissioned) {
    publish = false;
    reasons.push('not-commissioned');
  }
  const payload = makeSetpointPayload(value, {
    id: decision.setpointId,
    address: target.address,
    issuedAtMs: nowMs,
    validUntilMs,
    planId: decision.planId,
    reason: decision.reason,
  });
  return { action: 'setpoint', publish, value, payload, issuedAtMs: nowMs, validUntilMs, reasons, spaceMode };
}

/**
 * On shutdown: native controllers get their retained setpoint cleared; preset devices get their
 * fallback, unless a person holds them under override.
 */
export function shutdownOutcome(state: SafetyState, ctx: SafetyContext, nowMs: number): SafetyOutcome {
  const spaceMode = state.spaceMode ?? spaceModeOf(ctx.control, ctx.siteId, ctx.spaceId);
  const target = outputTargetOf(ctx);
  const none = (...reasons: string[]): SafetyOutcome => ({
    action: 'none',
    publish: false,
    reasons,
    spaceMode,
  });
  if (target === undefined) return none('life-safety');
  if (!supportsKind(target.output, target.kind)) return none(`unsupported-output:${target.output}`);
  if (state.record.handedBack) return none('shutdown', 'nothing-outstanding');
  if (target.output !== 'native' && overrideActive(state.record, nowMs))
    return none('shutdown', 'override-hold');
  return {
    action: 'fallback',
    publish: true,
    value: fallbackValue(ctx, target, nowMs),
    reasons: ['shutdown'],
    spaceMode,
  };
}
