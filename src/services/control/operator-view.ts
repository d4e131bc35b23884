import type { CommandTarget } from '../../domain/commands/envelope.js';
import type { SpaceMode } from '../../domain/control/space-mode.js';
import type { AlertSink } from '../../ports/operations.js';
import type { CommissioningResult } from './commissioning.js';
import type { DeviceRuntime } from './dispatcher.js';
import type { SpaceModeStatus } from './space-mode.js';

/** One space as operators see it. */
export interface SpaceStatus {
  readonly siteId: string;
  readonly spaceId: string;
  readonly mode: SpaceMode;
  readonly modeSource: 'operator' | 'config';
  readonly modeSetBy?: string;
  readonly modeSetAtMs?: number;
  readonly planId?: string;
  /** An operator's release or the fire alarm hands every device back. */
  readonly released: boolean;
  /** Device keys `site/space/device`; their status is in `status()`. */
  readonly devices: readonly string[];
}

export function spaceStatusOf(
  space: { readonly siteId: string; readonly spaceId: string; readonly planId?: string | undefined },
  m: SpaceModeStatus,
  released: boolean,
  devices: readonly DeviceRuntime[],
): SpaceStatus {
  return {
    siteId: space.siteId,
    spaceId: space.spaceId,
    mode: m.mode,
    modeSource: m.source,
    ...(m.setBy === undefined ? {} : { modeSetBy: m.setBy }),
    ...(m.setAtMs === undefined ? {} : { modeSetAtMs: m.setAtMs }),
    ...(space.planId === undefined ? {} : { planId: space.planId }),
    released,
    devices: devices.map((rt) => rt.device.key),
  };
}

/**
 * Which devices a commission command names: a named device is checked again even if it passed,
 * otherwise every device not yet passed; devices of spaces that are not active are skipped, in words.
 */
export function commissionSelection(
  devices: Iterable<{ readonly rt: DeviceRuntime; readonly mode: SpaceMode }>,
  target: CommandTarget,
): { readonly keys: string[]; readonly skipped: string[] } {
  const keys: string[] = [];
  const skipped: string[] = [];
  for (const { rt, mode } of devices) {
    const d = rt.device;
    if (target.siteId !== undefined && target.siteId !== d.siteId) continue;
    if (target.spaceId !== undefined && target.spaceId !== d.spaceId) continue;
    const named = target.deviceId !== undefined;
    if (named ? target.deviceId !== d.deviceId : rt.record.commissioning === 'passed') continue;
    if (mode !== 'active')
      skipped.push(`${d.key}: not checked, the space is ${mode} (a check sends a command)`);
    else keys.push(d.key);
  }
  return { keys, skipped };
}

export function overrideAlertPart(rt: DeviceRuntime) {
  const d = rt.device;
  return { kind: 'override', siteId: d.siteId, spaceId: d.spaceId, subject: d.deviceId } as const;
}

/** A failed check raises an alert for the device; a pass clears it. */
export function reportCommissioning(alerts: AlertSink, rt: DeviceRuntime, result: CommissioningResult): void {
  const d = rt.device;
  const part = {
    kind: 'commissioning-failed',
    siteId: d.siteId,
    spaceId: d.spaceId,
    subject: d.deviceId,
  } as const;
  if (result.passed) alerts.clear(part);
  else
    alerts.raise({
      ...part,
      severity: 'warning',
      message: `commissioning of ${d.deviceId} failed: ${result.detail}; it stays on its own schedule`,
    });
}
