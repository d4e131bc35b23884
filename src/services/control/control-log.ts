import type { ControlConfig } from '../../config/schema/control.js';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import { type AckStatus, ackStatus, overrideActive } from '../../domain/safety/device-record.js';
import { type DeviceRuntime, type DispatchResult, describeValue } from './dispatcher.js';

function noneText(reasons: readonly string[]): string {
  if (reasons.includes('no-decision')) return 'on its own schedule';
  if (reasons.some((r) => r.startsWith('release:'))) return 'released';
  return reasons.join(',');
}

/**
 * The one line per space and plan (info when something was sent or would be, debug when all stays):
 * what was sent, what shadow mode would send, what stays.
 */
export function planLine(
  spaceKey: string,
  mode: SpaceMode,
  results: readonly (readonly [DeviceRuntime, DispatchResult])[],
  extras: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const sent: string[] = [];
  const shadow: string[] = [];
  const held: string[] = [];
  for (const [rt, r] of results) {
    const id = rt.device.deviceId;
    if (r.kind === 'published') sent.push(`${id} ${describeValue(r.value)}`);
    else if (r.kind === 'handed-back') sent.push(`${id} back to schedule (${describeValue(r.value)})`);
    else if (r.kind === 'unpublished') shadow.push(`${id} ${describeValue(r.value)}`);
    else if (r.kind === 'unchanged' && rt.record.lastValue)
      held.push(`${id} ${describeValue(rt.record.lastValue)}`);
    else if (r.kind === 'none') held.push(`${id}: ${noneText(r.reasons)}`);
    else if (r.kind === 'failed') held.push(`${id}: publish failed`);
  }
  const line: Record<string, unknown> = { space: spaceKey, mode, ...extras };
  if (sent.length > 0) line.sent = sent.join('; ');
  if (shadow.length > 0) line[mode === 'shadow' ? 'shadow' : 'notSent'] = shadow.join('; ');
  if (held.length > 0) line.unchanged = held.join('; ');
  return line;
}

/** The plan line's message: one sentence a person reads in the demo log without expanding fields. */
export function planMessage(line: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const key of ['sent', 'shadow', 'notSent', 'unchanged'] as const) {
    const text = line[key];
    if (typeof text === 'string') parts.push(`${key === 'notSent' ? 'not sent yet' : key}: ${text}`);
  }
  return `plan ${String(line.space)} (${String(line.mode)})${parts.length > 0 ? ` — ${parts.join('; ')}` : ''}`;
}

/**
 * Acknowledgement status as operators see it. Preset devices cannot echo a setpoint id, so they
 * are served open loop by nature; a native controller gets the acknowledgement timeout to report
 * before it counts as open loop.
 */
export function ackOf(rt: DeviceRuntime, nowMs: number, control: ControlConfig): AckStatus {
  const status = ackStatus(rt.record, nowMs, control);
  if (rt.device.target.output !== 'native' && (status === 'pending' || status === 'unacknowledged'))
    return 'open-loop';
  return status;
}

/** Whether a change of acknowledgement status deserves a log line, and which. */
export function ackChangeMessage(before: AckStatus | undefined, now: AckStatus): string | undefined {
  if (now === before) return undefined;
  if (now === 'open-loop' || now === 'unacknowledged') return 'controller does not acknowledge';
  if (now === 'acknowledged' && (before === 'open-loop' || before === 'unacknowledged'))
    return 'controller acknowledges again';
  return undefined;
}

/** What an operator sees of one device. */
export interface DeviceStatus {
  readonly key: string;
  readonly siteId: string;
  readonly spaceId: string;
  readonly deviceId: string;
  readonly kind: 'lighting' | 'hvac';
  readonly mode: SpaceMode;
  readonly commissioning: string;
  readonly commissionedAtMs?: number;
  readonly ack: AckStatus;
  readonly ackedAtMs?: number;
  readonly lastReportAtMs?: number;
  readonly handedBack: boolean;
  readonly lastValue?: string;
  readonly lastSetpointId?: string;
  readonly leaseUntilMs?: number;
  readonly overrideUntilMs?: number;
}

export function deviceStatus(
  rt: DeviceRuntime,
  mode: SpaceMode,
  nowMs: number,
  control: ControlConfig,
): DeviceStatus {
  const r = rt.record;
  const d = rt.device;
  return {
    key: d.key,
    siteId: d.siteId,
    spaceId: d.spaceId,
    deviceId: d.deviceId,
    kind: d.target.kind,
    mode,
    commissioning: r.commissioning,
    ...(r.commissionedAtMs === undefined ? {} : { commissionedAtMs: r.commissionedAtMs }),
    ack: ackOf(rt, nowMs, control),
    ...(r.ackedAtMs === undefined ? {} : { ackedAtMs: r.ackedAtMs }),
    ...(r.lastReportAtMs === undefined ? {} : { lastReportAtMs: r.lastReportAtMs }),
    handedBack: r.handedBack,
    ...(r.lastValue ? { lastValue: describeValue(r.lastValue) } : {}),
    ...(r.lastSetpointId === undefined ? {} : { lastSetpointId: r.lastSetpointId }),
    ...(r.leaseUntilMs === undefined ? {} : { leaseUntilMs: r.leaseUntilMs }),
    ...(overrideActive(r, nowMs) && r.overrideUntilMs !== undefined
      ? { overrideUntilMs: r.overrideUntilMs }
      : {}),
  };
}
