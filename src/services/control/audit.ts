import { randomUUID } from 'node:crypto';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import {
  type DeviceRecord,
  initialRecord,
  recordCommissioning,
  recordHandedBack,
  recordSetpointPublished,
} from '../../domain/safety/device-record.js';
import { HvacValue, LightingValue, type SetpointValue } from '../../domain/setpoints/contract.js';
import type { SetpointAuditEntry, SetpointAuditStore } from '../../ports/stores.js';
import type { ControlledDevice } from './catalogue.js';

/** Plan id of audit entries that record a hand-back (native: retained clear; preset: fallback). */
export const HANDBACK_PLAN_ID = 'handback';

function compactTime(tMs: number): string {
  return new Date(tMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** A setpoint id, unique across restarts (the audit log refuses duplicates). */
export function newSetpointId(deviceId: string, nowMs: number): string {
  return `${deviceId}-${compactTime(nowMs)}-${randomUUID().slice(0, 6)}`;
}

export function planIdOf(spaceId: string, createdAtMs: number): string {
  return `plan-${compactTime(createdAtMs)}-${spaceId}`;
}

export function auditMode(mode: SpaceMode): SetpointAuditEntry['mode'] {
  return mode;
}

export function valueJson(value: SetpointValue): string {
  return JSON.stringify(value);
}

/** Reads a stored value back; undefined when the row holds something else. */
export function parseValueJson(json: string): SetpointValue | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { kind, ...rest } = raw as Record<string, unknown>;
  if (kind === 'lighting') {
    const v = LightingValue.safeParse(rest);
    return v.success ? { kind: 'lighting', ...v.data } : undefined;
  }
  if (kind === 'hvac') {
    const v = HvacValue.safeParse(rest);
    return v.success ? { kind: 'hvac', ...v.data } : undefined;
  }
  return undefined;
}

const LOOKBACK_MS = 2 * 86_400_000;

/** The newest entry that was actually published (shadow and held decisions are skipped). */
function lastPublished(device: ControlledDevice, audit: SetpointAuditStore): SetpointAuditEntry | undefined {
  const latest = audit.latestForDevice(device.siteId, device.spaceId, device.deviceId);
  if (latest === undefined || latest.publishedAtMs !== null) return latest;
  const rows = audit.query({
    siteId: device.siteId,
    spaceId: device.spaceId,
    deviceId: device.deviceId,
    fromMs: latest.decidedAtMs - LOOKBACK_MS,
    toMs: latest.decidedAtMs + 1,
  });
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row !== undefined && row.publishedAtMs !== null) return row;
  }
  return undefined;
}

/**
 * The device record a restarted service continues from: the last published setpoint (its lease
 * possibly still running) or the last hand-back. Without it a restart would re-publish what is
 * already in force, or leave a retained setpoint nobody renews or clears.
 */
export function restoreRecord(
  device: ControlledDevice,
  audit: SetpointAuditStore,
  commissioning: { passed: boolean; atMs: number } | undefined,
): DeviceRecord {
  let rec = initialRecord(device.deviceId);
  if (commissioning) rec = recordCommissioning(rec, commissioning.passed, commissioning.atMs);
  const last = lastPublished(device, audit);
  if (last === undefined || last.publishedAtMs === null) return rec;
  const value = parseValueJson(last.valueJson);
  if (value === undefined || value.kind !== device.target.kind) return rec;
  if (last.planId === HANDBACK_PLAN_ID) return recordHandedBack(rec, value, last.publishedAtMs);
  rec = recordSetpointPublished(
    rec,
    { id: last.id, value, validUntilMs: last.validUntilMs },
    last.publishedAtMs,
  );
  if (last.acknowledgedAtMs !== null)
    rec = { ...rec, ackedSetpointId: last.id, ackedAtMs: last.acknowledgedAtMs };
  return rec;
}
