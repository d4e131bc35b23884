/**
 * Alerts are records, not log lines: any service raises one under a stable key, it stays open
 * (and is shown and pushed once) until the condition clears, and the record keeps when it began and
 * ended. A raise for an open key refreshes its message instead of opening a second alert.
 */
export const ALERT_KINDS = [
  'stale-meter',
  'stale-sensor',
  'commissioning-failed',
  'override',
  'model-guideline14',
  'config-refused',
  'store-unwritable',
  'comfort-risk',
  /** The time-series server has not taken queued points for a while. */
  'export-unreachable',
  /** The time-series server refused points for good; they are in the dead letters. */
  'export-refused',
  /** The time-series outbox reached its bound and dropped its oldest points. */
  'export-outbox-full',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface Alert {
  /** Stable per condition, e.g. `stale-meter:maple-court:lobby:lobby-lights-meter`. */
  readonly key: string;
  readonly kind: AlertKind;
  readonly siteId: string | null;
  readonly spaceId: string | null;
  readonly severity: AlertSeverity;
  /** Plain words for a property manager or operator. */
  readonly message: string;
  readonly sinceMs: number;
  /** Null while the condition holds. */
  readonly clearedAtMs: number | null;
}

export interface AlertRaise {
  readonly kind: AlertKind;
  readonly siteId: string | null;
  readonly spaceId: string | null;
  /** What within the space the alert is about (meter, device, series); part of the key. */
  readonly subject?: string;
  readonly severity: AlertSeverity;
  readonly message: string;
}

export function alertKey(a: Pick<AlertRaise, 'kind' | 'siteId' | 'spaceId' | 'subject'>): string {
  return [a.kind, a.siteId ?? '*', a.spaceId ?? '*', a.subject ?? '*'].join(':');
}
