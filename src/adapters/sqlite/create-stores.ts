import type Database from 'better-sqlite3';
import { SqliteIntervalStore } from './interval-store.js';
import type { SiteZoneOf } from './ledger-daily.js';
import { SqliteModelRegistryStore } from './model-registry-store.js';
import { SqliteReadingStore } from './reading-store.js';
import { SqliteSavingsLedgerStore } from './savings-ledger-store.js';
import { SqliteSetpointAuditStore } from './setpoint-audit-store.js';
import { SqliteCounterStore, SqliteKeyValueStore, SqliteMeterStateStore } from './small-stores.js';

/**
 * Every store over one connection, for the composition root. `zoneOf` tells the ledger which zone a
 * site's days are cut in (its daily sums); without it they are UTC days.
 */
export function createSqliteStores(db: Database.Database, zoneOf?: SiteZoneOf) {
  return {
    readings: new SqliteReadingStore(db),
    intervals: new SqliteIntervalStore(db),
    meterState: new SqliteMeterStateStore(db),
    settings: new SqliteKeyValueStore(db),
    rejections: new SqliteCounterStore(db),
    setpointAudit: new SqliteSetpointAuditStore(db),
    ledger: new SqliteSavingsLedgerStore(db, zoneOf),
    models: new SqliteModelRegistryStore(db),
  };
}

export type SqliteStores = ReturnType<typeof createSqliteStores>;
