import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteSavingsLedgerStore } from '../../src/adapters/sqlite/savings-ledger-store.js';
import type { LedgerRow } from '../../src/ports/stores.js';

const H = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const row = (hour: number): LedgerRow => ({
  hourStartMs: Date.UTC(2026, 2, 1) + hour * H,
  siteId: 'maple-court',
  spaceId: 'lobby',
  endUse: 'lighting',
  baselineKWh: 10,
  measuredKWh: 10 - (hour % 5),
  avoidedKWh: hour % 5,
  cost: (hour % 5) * 0.5,
  currency: 'CNY',
  co2Kg: 0,
  kind: 'measured',
  method: 'baseline',
  baselineVersion: 'towt@1',
});

describe('the ledger daily sums follow the site zone in the config', () => {
  it('rebuilds a site’s days when its zone changes, and month sums stay equal to the hours', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qw-ledger-zones-'));
    dirs.push(dir);
    const path = join(dir, 'quietwatt.db');
    const rows = Array.from({ length: 24 * 40 }, (_, h) => row(h));
    const first = openDatabase(path);
    new SqliteSavingsLedgerStore(first.db, () => 'UTC').upsertLedger(rows);
    first.close();

    // The same file, opened with the site in Shanghai (local midnight at 16:00 UTC).
    const second = openDatabase(path);
    const store = new SqliteSavingsLedgerStore(second.db, () => 'Asia/Shanghai');
    const march = { fromMs: Date.UTC(2026, 1, 28, 16), toMs: Date.UTC(2026, 2, 31, 16) };
    const days = second.db
      .prepare('SELECT DISTINCT day_start_ms FROM savings_ledger_daily ORDER BY 1')
      .pluck()
      .all() as number[];
    expect(days.every((d) => new Date(d).getUTCHours() === 16)).toBe(true);
    const [total] = store.sumLedgerByPeriod({
      kind: 'measured',
      method: 'baseline',
      siteId: 'maple-court',
      periods: [march],
    });
    const inMarch = rows.filter((r) => r.hourStartMs >= march.fromMs && r.hourStartMs < march.toMs);
    expect(total?.hours).toBe(inMarch.length);
    expect(total?.avoidedKWh).toBeCloseTo(
      inMarch.reduce((s, r) => s + r.avoidedKWh, 0),
      9,
    );
    second.close();
  });
});
