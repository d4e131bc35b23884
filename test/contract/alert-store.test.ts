import { SqliteAlertStore } from '../../src/adapters/sqlite/alert-store.js';
import { MemoryAlertStore } from '../helpers/fakes/memory-alert-store.js';
import { alertStoreContract } from './alert-store.contract.js';
import { memoryFactory, sqliteFactory } from './harness.js';

alertStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteAlertStore(db)),
);
alertStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryAlertStore()),
);
