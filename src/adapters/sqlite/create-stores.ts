import type Database from 'better-sqlite3';
import { SqliteIntervalStore } from './interval-store.js';
import { SqliteModelRegistryStore } from './model-registry-store.js';
import { SqliteReadingStore } from './reading-store.js';
import { SqliteSavingsLedgerStore } from './savings-ledger-store.js';
import { SqliteSetpointAuditStore } from './setpoint-audit-store.js';
import { SqliteCounterStore, SqliteKeyValueStore, SqliteMeterStateStore } from './small-stores.js';

/** Every store over one connection, for the composition root. */
export function createSqliteStores(db: Database.Database) {
  return {
    readings: new SqliteReadingStore(db),
    intervals: new SqliteIntervalStore(db),
    meterState: new SqliteMeterStateStore(db),
    settings: new SqliteKeyValueStore(db),
    rejections: new SqliteCounterStore(db),
    setpointAudit: new SqliteSetpointAuditStore(db),
    ledger: new SqliteSavingsLedgerStore(db),
    models: new SqliteModelRegistryStore(db),
  };
}

export type SqliteStores = ReturnType<typeof createSqliteStores>;
