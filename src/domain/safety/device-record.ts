import type { ControlConfig } from '../../config/schema/control.js';
import type { HvacMode, SetpointValue, StateReport } from '../setpoints/contract.js';

export type Commissioning = 'unknown' | 'passed' | 'failed';
export type AckStatus = 'none' | 'pending' | 'acknowledged' | 'unacknowledged' | 'open-loop';

/**
 * What the dispatcher remembers about one device between decisions. Immutable: every transition
 * returns a new record.
 */
export interface DeviceRecord {
  readonly deviceId: string;
  /** Last value published (a setpoint, or the fallback a device was handed back to). */
  readonly lastValue?: SetpointValue;
  readonly lastCommandAtMs?: number;
  /** Id of the setpoint in force; absent once the device is handed back. */
  readonly lastSetpointId?: string;
  /** Last HVAC mode QuietWatt caused, and when it last changed (compressor protection). */
  readonly lastMode?: HvacMode;
  readonly lastModeChangeAtMs?: number;
  /** End of the lease in force; absent when none. */
  readonly leaseUntilMs?: number;
  /** True while the device runs on its own schedule (nothing of ours outstanding). */
  readonly handedBack: boolean;
  readonly overrideUntilMs?: number;
  readonly ackedSetpointId?: string;
  readonly ackedAtMs?: number;
  readonly lastReportAtMs?: number;
  readonly reportedValue?: StateReport['value'];
  readonly commissioning: Commissioning;
  readonly commissionedAtMs?: number;
}

export function initialRecord(deviceId: string): DeviceRecord {
  return { deviceId, handedBack: true, commissioning: 'unknown' };
}

function withMode(rec: DeviceRecord, value: SetpointValue, nowMs: number): Partial<DeviceRecord> {
  if (value.kind !== 'hvac' || value.mode === rec.lastMode) return {};
  return { lastMode: value.mode, lastModeChangeAtMs: nowMs };
}

/** A setpoint was published: it is now in force until `validUntilMs`, awaiting its echo. */
export function recordSetpointPublished(
  rec: DeviceRecord,
  setpoint: { readonly id: string; readonly value: SetpointValue; readonly validUntilMs: number },
  nowMs: number,
): DeviceRecord {
  return {
    ...rec,
    ...withMode(rec, setpoint.value, nowMs),
    lastValue: setpoint.value,
    lastCommandAtMs: nowMs,
    lastSetpointId: setpoint.id,
    leaseUntilMs: setpoint.validUntilMs,
    handedBack: false,
  };
}

/** The device was handed back to its schedule (native: retained setpoint cleared; preset: fallback sent). */
export function recordHandedBack(rec: DeviceRecord, fallback: SetpointValue, nowMs: number): DeviceRecord {
  const { lastSetpointId: _id, leaseUntilMs: _lease, ...rest } = rec;
  return {
    ...rest,
    ...withMode(rec, fallback, nowMs),
    lastValue: fallback,
    lastCommandAtMs: nowMs,
    handedBack: true,
  };
}

/**
 * A state report arrived. Echoing the setpoint in force acknowledges it; `override: true` starts
 * (or extends) the hold, which then runs its full time even if the override is lifted sooner.
 */
export function recordStateReport(
  rec: DeviceRecord,
  report: StateReport,
  nowMs: number,
  control: ControlConfig,
): { record: DeviceRecord; overrideStarted: boolean; acknowledged: boolean } {
  const acknowledged =
    report.appliedSetpointId !== null &&
    report.appliedSetpointId === rec.lastSetpointId &&
    rec.ackedSetpointId !== report.appliedSetpointId;
  const holding = rec.overrideUntilMs !== undefined && rec.overrideUntilMs > nowMs;
  let next: DeviceRecord = {
    ...rec,
    lastReportAtMs: nowMs,
    ...(report.value === undefined ? {} : { reportedValue: report.value }),
    ...(acknowledged ? { ackedSetpointId: report.appliedSetpointId ?? '', ackedAtMs: nowMs } : {}),
  };
  if (report.override) next = { ...next, overrideUntilMs: nowMs + control.overrideHoldMinutes * 60_000 };
  return { record: next, overrideStarted: report.override && !holding, acknowledged };
}

export function recordCommissioning(rec: DeviceRecord, passed: boolean, nowMs: number): DeviceRecord {
  return { ...rec, commissioning: passed ? 'passed' : 'failed', commissionedAtMs: nowMs };
}

export function overrideActive(rec: DeviceRecord, nowMs: number): boolean {
  return rec.overrideUntilMs !== undefined && nowMs < rec.overrideUntilMs;
}

export function leaseExpired(rec: DeviceRecord, nowMs: number): boolean {
  return !rec.handedBack && (rec.leaseUntilMs === undefined || nowMs >= rec.leaseUntilMs);
}

/** When the lease in force should be renewed while the plan holds. */
export function renewDue(rec: DeviceRecord, nowMs: number, control: ControlConfig): boolean {
  return (
    !rec.handedBack &&
    rec.leaseUntilMs !== undefined &&
    nowMs >= rec.leaseUntilMs - control.leaseRenewBeforeSeconds * 1000
  );
}

/** Acknowledgement state; a controller that never reported is served open loop, visibly. */
export function ackStatus(rec: DeviceRecord, nowMs: number, control: ControlConfig): AckStatus {
  if (rec.lastSetpointId === undefined) return 'none';
  if (rec.ackedSetpointId === rec.lastSetpointId) return 'acknowledged';
  if (rec.lastReportAtMs === undefined) return 'open-loop';
  const sentAt = rec.lastCommandAtMs ?? nowMs;
  return nowMs - sentAt > control.ackTimeoutSeconds * 1000 ? 'unacknowledged' : 'pending';
}
