import { SqliteSetpointAuditStore } from '../../src/adapters/sqlite/setpoint-audit-store.js';
import { MemorySetpointAuditStore } from '../helpers/fakes/memory-setpoint-audit-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { setpointAuditStoreContract } from './setpoint-audit-store.contract.js';

setpointAuditStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteSetpointAuditStore(db)),
);
setpointAuditStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemorySetpointAuditStore()),
);
