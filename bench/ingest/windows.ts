/**
 * Full reading windows for the memory figures: every meter's stored state as if it had received
 * `DEFAULT_WINDOW_SIZE` readings one minute apart, the last `endMs`, written through the meter state
 * store in the format the service writes. The service loads a meter's state with its first reading,
 * so one more reading per meter fills every window in memory.
 */
import { openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import { MeterConfig } from '../../src/config/schema/meter.js';
import { DEFAULT_WINDOW_SIZE, seriesRules } from '../../src/domain/ingest/meter-index.js';
import { ReadingWindow } from '../../src/domain/ingest/reading-window.js';
import { encodeWindow } from '../../src/domain/ingest/window-codec.js';
import type { Logger } from '../../src/ports/logger.js';
import type { StoredMeterState } from '../../src/ports/stores.js';
import { meterIdOf } from './service.js';

const MIN_MS = 60_000;
const silent: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

/** Registers as the loader publishes them: 1000 + meter number at the loader's first reading. */
export function seedFullWindows(storageDir: string, meters: number, endMs: number): void {
  const rules = seriesRules(MeterConfig.parse({ id: 'x', topic: 'x', measures: 'total', format: 'json' }));
  const storage = openSqliteStorage(storageDir, silent);
  try {
    const batch = new Map<string, StoredMeterState>();
    for (let m = 0; m < meters; m++) {
      const window = new ReadingWindow(DEFAULT_WINDOW_SIZE + 1, true);
      for (let k = DEFAULT_WINDOW_SIZE; k >= 1; k--)
        window.insert({ tsMs: endMs - (k - 1) * MIN_MS, value: 1000 + m - k * 0.01 }, rules);
      batch.set(meterIdOf(m), encodeWindow(window));
      if (batch.size === 5_000 || m === meters - 1) {
        storage.stores.meterState.saveMeterStates(batch);
        batch.clear();
      }
    }
  } finally {
    storage.database.close();
  }
}
