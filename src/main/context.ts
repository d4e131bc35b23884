import type { SqliteStores } from '../adapters/sqlite/create-stores.js';
import type { SqliteStorage } from '../adapters/sqlite/storage.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Scheduler } from '../ports/scheduler.js';
import type { LiveConfig } from './live-config.js';

/** What every part of the composition root is built from: the config, storage, time and the log. */
export interface WiringContext {
  /** The config file as read at start. */
  readonly config: Readonly<QuietWattConfig>;
  /** The config in force, which a reload (or the demo's switch from shadow) replaces. */
  readonly live: LiveConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly storage: SqliteStorage;
  readonly stores: SqliteStores;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
}
