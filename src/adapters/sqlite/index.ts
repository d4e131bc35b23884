import type Database from 'better-sqlite3';
import { SqliteIntervalStore } from './interval-store.js';
import { SqliteModelRegistryStore } from './model-registry-store.js';
import { SqliteReadingStore } from './reading-store.js';
import { SqliteSavingsLedgerStore } from './savings-ledger-store.js';
import { SqliteSetpointAuditStore } from './setpoint-audit-store.js';
import { SqliteCounterStore, SqliteKeyValueStore, SqliteMeterStateStore } from './small-stores.js';

export { type OpenDatabaseOptions, openDatabase, type SqliteDatabase } from './database.js';
export { ERR_BAD_MIGRATIONS, ERR_BAD_ROW, ERR_SCHEMA_TOO_NEW, SqliteStoreError } from './errors.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export {
  SqliteCounterStore,
  SqliteIntervalStore,
  SqliteKeyValueStore,
  SqliteMeterStateStore,
  SqliteModelRegistryStore,
  SqliteReadingStore,
  SqliteSavingsLedgerStore,
  SqliteSetpointAuditStore,
};

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
