import { type AlertRaise, alertKey } from '../../domain/alerts/alert.js';
import type { Clock } from '../../ports/clock.js';
import type { AlertSink } from '../../ports/operations.js';

/** One alert the service raised during a bench run, with when it was cleared (if it was). */
export interface RecordedAlert {
  readonly raise: AlertRaise;
  readonly raisedMs: number;
  clearedMs?: number;
}

/**
 * An alert sink for the savings bench: keeps every alert the service raises, as an operator's
 * alert list would show it: a raise while the same alert is open is that alert, not a new one.
 */
export class AlertRecorder implements AlertSink {
  readonly alerts: RecordedAlert[] = [];
  private readonly open = new Map<string, RecordedAlert>();

  constructor(private readonly clock: Clock) {}

  raise(alert: AlertRaise): void {
    const key = alertKey(alert);
    if (this.open.has(key)) return;
    const rec: RecordedAlert = { raise: alert, raisedMs: this.clock.now() };
    this.open.set(key, rec);
    this.alerts.push(rec);
  }

  clear(alert: Pick<AlertRaise, 'kind' | 'siteId' | 'spaceId' | 'subject'>): void {
    const key = alertKey(alert);
    const rec = this.open.get(key);
    if (!rec) return;
    rec.clearedMs = this.clock.now();
    this.open.delete(key);
  }
}
