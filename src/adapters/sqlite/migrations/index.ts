import { migration001Core } from './001-core.js';
import { migration002AuditLedger } from './002-audit-ledger.js';
import { migration003Sensors } from './003-sensors.js';
import { migration004AlertsCommands } from './004-alerts-commands.js';
import { migration005Access } from './005-access.js';
import { migration006LedgerCurrency } from './006-ledger-currency.js';
import { migration007LedgerDaily } from './007-ledger-daily.js';
import { migration008RetentionIndexes } from './008-retention-indexes.js';
import { migration009InfluxOutbox } from './009-influx-outbox.js';
import { migration010InboundInbox } from './010-inbound-inbox.js';
import { migration011MeterStateBlob } from './011-meter-state-blob.js';
import { migration012InboxWithoutIndex } from './012-inbox-without-index.js';
import { migration013MeterStateRowid } from './013-meter-state-rowid.js';
import { migration014ReadingsWithoutTimeIndex } from './014-readings-without-time-index.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/**
 * Every migration the code knows, in order. Append new ones (003-..., 004-...) at the end; never edit
 * or reorder a migration that has shipped, since databases in the field already recorded it.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001Core,
  migration002AuditLedger,
  migration003Sensors,
  migration004AlertsCommands,
  migration005Access,
  migration006LedgerCurrency,
  migration007LedgerDaily,
  migration008RetentionIndexes,
  migration009InfluxOutbox,
  migration010InboundInbox,
  migration011MeterStateBlob,
  migration012InboxWithoutIndex,
  migration013MeterStateRowid,
  migration014ReadingsWithoutTimeIndex,
];
