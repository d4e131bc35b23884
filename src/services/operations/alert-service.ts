import { type Alert, type AlertRaise, alertKey } from '../../domain/alerts/alert.js';
import type { AlertNotifier } from '../../ports/alert-notifier.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertQuery, AlertReader, AlertSink, AlertStore } from '../../ports/operations.js';

export interface AlertServiceDeps {
  readonly store: AlertStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly notifier?: AlertNotifier;
}

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

/**
 * Raise-once alerts: one open alert per key. A raise for an open key refreshes its message and
 * severity (pushed again only when the severity rises); a clear closes it. Open alerts are restored
 * from the store, so a restart neither forgets nor re-pushes them. Never throws to its callers:
 * a store that cannot be written keeps the alert in memory and writes it on the next change.
 */
export class AlertService implements AlertSink, AlertReader, Component {
  readonly name = 'alerts';
  private readonly open = new Map<string, Alert>();
  /** Records not yet written (store errors), by key and start. */
  private readonly unsaved = new Map<string, Alert>();
  /** While the demo replays simulated days: alerts raised meanwhile, logged at debug. */
  private replay: { raised: number } | undefined;

  constructor(private readonly deps: AlertServiceDeps) {
    try {
      for (const a of deps.store.openAlerts()) this.open.set(a.key, a);
    } catch (error) {
      deps.log.error({ err: String(error) }, 'open alerts could not be read; starting without them');
    }
  }

  async start(): Promise<void> {
    if (this.open.size > 0) this.deps.log.info({ open: [...this.open.keys()] }, 'open alerts restored');
  }

  async stop(): Promise<void> {
    this.flush();
  }

  /**
   * From now until `endReplay`, raised alerts are stored, pushed and shown as ever but logged at
   * debug: a first start's replay of past simulated days would otherwise open with dozens of
   * warnings about days that never happened to anyone. The replay's last line gives the count.
   */
  beginReplay(): void {
    this.replay = { raised: 0 };
  }

  /** Ends the replay's quiet: how many alerts it raised, and how many are open now. */
  endReplay(): { readonly raised: number; readonly open: number } {
    const raised = this.replay?.raised ?? 0;
    this.replay = undefined;
    return { raised, open: this.open.size };
  }

  raise(raise: AlertRaise): void {
    const key = alertKey(raise);
    const before = this.open.get(key);
    if (before && before.message === raise.message && before.severity === raise.severity) return;
    const alert: Alert = {
      key,
      kind: raise.kind,
      siteId: raise.siteId,
      spaceId: raise.spaceId,
      severity: raise.severity,
      message: raise.message,
      sinceMs: before?.sinceMs ?? this.deps.clock.now(),
      clearedAtMs: null,
    };
    this.open.set(key, alert);
    this.save(alert);
    if (!before) {
      if (this.replay) this.replay.raised += 1;
      this.log(alert, 'alert raised');
      this.deps.notifier?.notify('raised', alert);
    } else if (SEVERITY_RANK[alert.severity] > SEVERITY_RANK[before.severity]) {
      this.log(alert, 'alert escalated');
      this.deps.notifier?.notify('raised', alert);
    }
  }

  clear(part: Pick<AlertRaise, 'kind' | 'siteId' | 'spaceId' | 'subject'>): void {
    const key = alertKey(part);
    const before = this.open.get(key);
    if (!before) return;
    const alert: Alert = { ...before, clearedAtMs: this.deps.clock.now() };
    this.open.delete(key);
    this.save(alert);
    this.deps.log.info({ key, kind: alert.kind }, 'alert cleared');
    this.deps.notifier?.notify('cleared', alert);
  }

  /** Stored alerts; the open ones from memory when the store cannot be read. */
  alerts(query: AlertQuery): Alert[] {
    try {
      this.flush();
      return this.deps.store.alerts(query);
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, 'alerts could not be read from the store');
      return [...this.open.values()]
        .filter((a) => query.siteId === undefined || a.siteId === query.siteId)
        .filter((a) => query.spaceId === undefined || a.spaceId === query.spaceId)
        .filter((a) => query.kind === undefined || a.kind === query.kind)
        .sort((a, b) => b.sinceMs - a.sinceMs)
        .slice(0, query.limit ?? 100);
    }
  }

  /** Open alerts as this process holds them (cheap; for metrics and status). */
  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  private save(alert: Alert): void {
    this.unsaved.set(`${alert.key}@${alert.sinceMs}`, alert);
    this.flush();
  }

  private flush(): void {
    for (const [id, alert] of this.unsaved) {
      try {
        this.deps.store.upsert(alert);
        this.unsaved.delete(id);
      } catch (error) {
        this.deps.log.error({ key: alert.key, err: String(error) }, 'alert not recorded; kept in memory');
        return;
      }
    }
  }

  private log(alert: Alert, msg: string): void {
    const line = { key: alert.key, severity: alert.severity, message: alert.message };
    if (this.replay) this.deps.log.debug(line, msg);
    else if (alert.severity === 'info') this.deps.log.info(line, msg);
    else this.deps.log.warn(line, msg);
  }
}
