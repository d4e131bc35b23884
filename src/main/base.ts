import { resolve } from 'node:path';
import { backupSqliteStorage } from '../adapters/sqlite/backup-storage.js';
import { openSqliteStorage } from '../adapters/sqlite/storage.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Logger } from '../ports/logger.js';
import type { WiringContext } from './context.js';
import { inShadow } from './fast-forward.js';
import { claimStoreForInstance } from './instance-claim.js';
import { LiveConfig } from './live-config.js';
import { type TimeBase, timeBaseOverStore } from './time-base.js';

/**
 * Storage (backed up first when a migration is due) and the time base that must fit what it holds.
 * A first demo start replays some weeks in shadow mode: the config in force starts in shadow.
 */
export async function openBase(o: {
  readonly config: Readonly<QuietWattConfig>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly realNow: () => number;
  readonly log: Logger;
}): Promise<{ readonly ctx: WiringContext; readonly time: TimeBase }> {
  const { config, log } = o;
  const live = new LiveConfig(config);
  const storageDir = resolve(config.storage.dir);
  await backupSqliteStorage(storageDir, log.child({ component: 'sqlite' }));
  const storage = openSqliteStorage(storageDir, log.child({ component: 'sqlite' }), { zoneOf: live.zoneOf });
  try {
    claimStoreForInstance(storage.stores.settings, config.instance.id, storageDir);
  } catch (error) {
    storage.database.close();
    throw error;
  }
  const time = timeBaseOverStore(config, storage, storageDir, o.realNow, log);
  if (time.fastForward && config.clock.fastForward?.shadowDays) live.commit(inShadow(config));
  const ctx: WiringContext = {
    config,
    live,
    env: o.env,
    storage,
    stores: storage.stores,
    clock: time.clock,
    scheduler: time.scheduler,
    log,
  };
  return { ctx, time };
}
