import type { ControlConfig } from '../../config/schema/control.js';
import { LogRateLimiter } from '../../domain/ingest/rate-limiter.js';
import { recordStateReport } from '../../domain/safety/device-record.js';
import { StateReport } from '../../domain/setpoints/contract.js';
import type { Logger } from '../../ports/logger.js';
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
  let json = true;
  try {
    raw = JSON.parse(text);
  } catch {
    json = false;
  }
  const parsed = StateReport.safeParse(raw);
  if (!parsed.success) {
    if (rt.device.target.output === 'native') {
      // An empty message clears a retained state topic: no report at all, so no rejection either.
      if (text.trim() === '') return { acknowledged: false, overrideStarted: false };
      const first = parsed.error.issues[0];
      const reason = !json
        ? 'payload is not JSON'
        : first
          ? `${first.path.join('.') || '(payload)'}: ${first.message}`
          : 'not a state report';
      return {
        error: reason,
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

/** One warning per device per this many minutes; the next one carries the count suppressed between. */
export const REJECTED_REPORT_LOG_EVERY_MINUTES = 10;

/**
 * State reports that break the contract, per device: each is counted, and logged as a warning with
 * its reason, the first at once and then at most one per device per window, so a controller that
 * sends a malformed report every few seconds cannot flood the log but is never silent.
 */
export class StateReportRejections {
  private readonly counts = new Map<string, number>();
  private readonly limiter: LogRateLimiter;

  constructor(
    private readonly log: Logger,
    everyMinutes = REJECTED_REPORT_LOG_EVERY_MINUTES,
  ) {
    this.limiter = new LogRateLimiter(1, everyMinutes * 60_000);
  }

  reject(deviceKey: string, topic: string, reason: string, nowMs: number): void {
    this.counts.set(deviceKey, (this.counts.get(deviceKey) ?? 0) + 1);
    const decision = this.limiter.check(deviceKey, nowMs);
    if (!decision.log) return;
    this.log.warn(
      {
        device: deviceKey,
        topic,
        reason,
        rejectedTotal: this.counts.get(deviceKey),
        ...(decision.suppressed > 0 ? { suppressed: decision.suppressed } : {}),
      },
      `state report from ${deviceKey} rejected: ${reason}`,
    );
  }

  /** Rejected reports per device key (`site/space/device`) since start. */
  countsByDevice(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.counts);
  }
}
