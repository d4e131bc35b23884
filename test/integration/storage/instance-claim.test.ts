import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../src/adapters/sqlite/storage.js';
import { validateConfig } from '../../../src/config/parse.js';
import {
  claimStoreForInstance,
  STORE_INSTANCE_KEY,
  StoreOfAnotherInstanceError,
} from '../../../src/main/instance-claim.js';
import { startService } from '../../../src/main.js';
import { captureLogger } from '../../helpers/logger.js';
import { minimalConfig } from '../../unit/config/helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-claim-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `f` on the settings of the store in `dir`, opened and closed around it. */
function withSettings<T>(f: (s: ReturnType<typeof openSqliteStorage>['stores']['settings']) => T): T {
  const storage = openSqliteStorage(dir, captureLogger());
  try {
    return f(storage.stores.settings);
  } finally {
    storage.database.close();
  }
}

describe('a store belongs to one instance', () => {
  it('is recorded by the first instance with an id and refused to any other', () => {
    withSettings((s) => claimStoreForInstance(s, 'shard-a', dir));
    expect(withSettings((s) => s.get(STORE_INSTANCE_KEY))).toBe('shard-a');
    withSettings((s) => claimStoreForInstance(s, 'shard-a', dir));
    expect(() => withSettings((s) => claimStoreForInstance(s, 'shard-b', dir))).toThrow(
      new RegExp(`the store in ${dir} belongs to instance "shard-a", and this config is instance "shard-b"`),
    );
    expect(() => withSettings((s) => claimStoreForInstance(s, undefined, dir))).toThrow(
      /has no instance\.id.*set instance\.id to "shard-a"/,
    );
  });

  it('lets a single instance keep its store when it is given an id', () => {
    withSettings((s) => claimStoreForInstance(s, undefined, dir));
    expect(withSettings((s) => s.get(STORE_INSTANCE_KEY))).toBeUndefined();
    withSettings((s) => claimStoreForInstance(s, 'shard-a', dir));
    expect(withSettings((s) => s.get(STORE_INSTANCE_KEY))).toBe('shard-a');
  });

  it('refuses to start the service on another instance’s store, before it touches the broker', async () => {
    withSettings((s) => s.set(STORE_INSTANCE_KEY, 'shard-a'));
    const raw = {
      ...minimalConfig(),
      instance: { id: 'shard-b' },
      storage: { dir },
      http: { enabled: false },
    };
    const validated = validateConfig(raw, 'b.yaml');
    if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
    const started = startService({
      config: validated.config,
      configFile: 'b.yaml',
      rootLogger: pino({ level: 'silent' }),
      env: {},
    });
    await expect(started).rejects.toBeInstanceOf(StoreOfAnotherInstanceError);
    // Refused before anything was recorded: the store is still shard-a's.
    expect(withSettings((s) => s.get(STORE_INSTANCE_KEY))).toBe('shard-a');
  });
});
