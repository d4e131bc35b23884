import type { ControlConfig } from '../../config/schema/control.js';
import { recordStateReport } from '../../domain/safety/device-record.js';
import { StateReport } from '../../domain/setpoints/contract.js';
import type { DeviceRuntime } from './dispatcher.js';

export interface StateMessageResult {
  readonly error?: string;
  readonly acknowledged: boolean;
  readonly overrideStarted: boolean;
  /** The setpoint id the controller says it applied, if any. */
  readonly echoedId?: string;
}

/**
 * A message on a device's state topic. Native controllers send contract state reports (echo of
 * the setpoint id = acknowledged; `override: true` = hold). Preset devices report in their own
 * format: such a message proves the device alive (commissioning) but acknowledges nothing, unless
 * it happens to be a contract report.
 */
export function handleStateMessage(
  rt: DeviceRuntime,
  text: string,
  retained: boolean,
  nowMs: number,
  control: ControlConfig,
): StateMessageResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = StateReport.safeParse(raw);
  if (!parsed.success) {
    if (rt.device.target.output === 'native') {
      const first = parsed.error.issues[0];
      return {
        error: first ? `${first.path.join('.') || '(payload)'}: ${first.message}` : 'not a state report',
        acknowledged: false,
        overrideStarted: false,
      };
    }
    if (!retained) rt.record = { ...rt.record, lastReportAtMs: nowMs };
    return { acknowledged: false, overrideStarted: false };
  }
  // A retained report is old news: it may acknowledge, but it starts no override hold.
  const report = retained ? { ...parsed.data, override: false } : parsed.data;
  const r = recordStateReport(rt.record, report, nowMs, control);
  rt.record = r.record;
  return {
    acknowledged: r.acknowledged,
    overrideStarted: r.overrideStarted,
    ...(report.appliedSetpointId === null ? {} : { echoedId: report.appliedSetpointId }),
  };
}
