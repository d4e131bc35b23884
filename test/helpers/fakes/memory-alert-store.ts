import type { Alert } from '../../../src/domain/alerts/alert.js';
import type { AlertQuery, AlertStore } from '../../../src/ports/operations.js';

/** Alert records in memory; an occurrence is identified by its key and when it began. */
export class MemoryAlertStore implements AlertStore {
  private readonly rows: Alert[] = [];

  upsert(alert: Alert): void {
    const i = this.rows.findIndex((a) => a.key === alert.key && a.sinceMs === alert.sinceMs);
    if (i >= 0) this.rows[i] = { ...alert };
    else this.rows.push({ ...alert });
  }

  openAlerts(): Alert[] {
    return this.rows.filter((a) => a.clearedAtMs === null).sort((a, b) => a.sinceMs - b.sinceMs);
  }

  alerts(query: AlertQuery): Alert[] {
    const limit = Math.max(1, Math.min(1000, Math.floor(query.limit ?? 100)));
    return this.rows
      .map((a, i) => ({ a, i }))
      .filter(({ a }) =>
        query.open === false
          ? a.clearedAtMs === null || a.clearedAtMs >= (query.sinceMs ?? 0)
          : a.clearedAtMs === null,
      )
      .filter(({ a }) => query.siteId === undefined || a.siteId === query.siteId)
      .filter(({ a }) => query.spaceId === undefined || a.spaceId === query.spaceId)
      .filter(({ a }) => query.kind === undefined || a.kind === query.kind)
      .sort((x, y) => y.a.sinceMs - x.a.sinceMs || y.i - x.i)
      .slice(0, limit)
      .map(({ a }) => ({ ...a }));
  }
}
