import { SqliteSavingsLedgerStore } from '../../src/adapters/sqlite/savings-ledger-store.js';
import { MemorySavingsLedgerStore } from '../helpers/fakes/memory-savings-ledger-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { savingsLedgerStoreContract } from './savings-ledger-store.contract.js';

savingsLedgerStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteSavingsLedgerStore(db)),
);
savingsLedgerStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemorySavingsLedgerStore()),
);
