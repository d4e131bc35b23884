import { checkLedgerRow } from '../../../src/adapters/sqlite/checks.js';
import type { LedgerQuery, LedgerRow, LedgerTotals, SavingsLedgerStore } from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

function matches(r: LedgerRow, q: LedgerQuery): boolean {
  return (
    r.kind === q.kind &&
    r.method === q.method &&
    r.hourStartMs >= q.fromMs &&
    r.hourStartMs < q.toMs &&
    (q.siteId === undefined || r.siteId === q.siteId) &&
    (q.spaceId === undefined || r.spaceId === q.spaceId) &&
    (q.endUse === undefined || r.endUse === q.endUse)
  );
}

export class MemorySavingsLedgerStore implements SavingsLedgerStore {
  private readonly rows = new Map<string, LedgerRow>();

  upsertLedger(rows: readonly LedgerRow[]): void {
    for (const r of rows) checkLedgerRow(r);
    for (const r of rows) {
      const key = [r.siteId, r.spaceId, r.hourStartMs, r.endUse, r.kind, r.method].join('\u0000');
      this.rows.set(key, { ...r });
    }
  }

  ledgerRows(query: LedgerQuery): LedgerRow[] {
    return [...this.rows.values()]
      .filter((r) => matches(r, query))
      .sort(
        byKeys(
          (r) => r.hourStartMs,
          (r) => r.siteId,
          (r) => r.spaceId,
          (r) => r.endUse,
        ),
      )
      .map((r) => ({ ...r }));
  }

  sumLedger(query: LedgerQuery): LedgerTotals[] {
    const totals = new Map<string, LedgerTotals>();
    for (const r of this.rows.values()) {
      if (!matches(r, query)) continue;
      const key = [r.siteId, r.spaceId, r.endUse].join('\u0000');
      const t = totals.get(key);
      totals.set(key, {
        siteId: r.siteId,
        spaceId: r.spaceId,
        endUse: r.endUse,
        kind: query.kind,
        method: query.method,
        hours: (t?.hours ?? 0) + 1,
        baselineKWh: (t?.baselineKWh ?? 0) + r.baselineKWh,
        measuredKWh: (t?.measuredKWh ?? 0) + r.measuredKWh,
        avoidedKWh: (t?.avoidedKWh ?? 0) + r.avoidedKWh,
        costCny: (t?.costCny ?? 0) + r.costCny,
        co2Kg: (t?.co2Kg ?? 0) + r.co2Kg,
      });
    }
    return [...totals.values()].sort(
      byKeys(
        (t) => t.siteId,
        (t) => t.spaceId,
        (t) => t.endUse,
      ),
    );
  }
}
