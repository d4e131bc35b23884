import { SqliteCommandLogStore } from '../../src/adapters/sqlite/command-log-store.js';
import { MemoryCommandLogStore } from '../helpers/fakes/memory-command-log-store.js';
import { commandLogStoreContract } from './command-log-store.contract.js';
import { memoryFactory, sqliteFactory } from './harness.js';

commandLogStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteCommandLogStore(db)),
);
commandLogStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryCommandLogStore()),
);
