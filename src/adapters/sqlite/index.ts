export { backupSqliteStorage } from './backup-storage.js';
export { createSqliteStores, type SqliteStores } from './create-stores.js';
export {
  type OpenDatabaseOptions,
  openDatabase,
  openDatabaseWithBackup,
  type SqliteDatabase,
} from './database.js';
export {
  ERR_BAD_MIGRATIONS,
  ERR_BAD_ROW,
  ERR_NO_BACKUP,
  ERR_OPEN,
  ERR_SCHEMA_TOO_NEW,
  SqliteStoreError,
} from './errors.js';
export { SqliteInbox, sqliteAtomically } from './inbox-store.js';
export { SqliteIntervalStore } from './interval-store.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export { SqliteModelRegistryStore } from './model-registry-store.js';
export { SqliteReadingStore } from './reading-store.js';
export { SqliteSavingsLedgerStore } from './savings-ledger-store.js';
export { SqliteSetpointAuditStore } from './setpoint-audit-store.js';
export { SqliteCounterStore, SqliteKeyValueStore, SqliteMeterStateStore } from './small-stores.js';
export { DB_FILE_NAME, openSqliteStorage, type SqliteStorage } from './storage.js';
