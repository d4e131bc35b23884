import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import {
  ConfigFileWatcher,
  type ConfigWatcher,
  watchConfigFile,
} from '../../../src/adapters/config-file/watch.js';
import type { ConfigResult } from '../../../src/config/parse.js';
import { DEFAULT_CONFIG, readText, tempDir } from './helpers.js';

/** Resolves with the next reload the watcher reports. */
function nextReload(): { onReload: (r: ConfigResult) => void; next: () => Promise<ConfigResult> } {
  const queue: ConfigResult[] = [];
  let wake: (() => void) | undefined;
  return {
    onReload: (r) => {
      queue.push(r);
      wake?.();
    },
    next: async () => {
      while (queue.length === 0) {
        await new Promise<void>((resolve, reject) => {
          wake = resolve;
          setTimeout(() => reject(new Error('no reload within 5 s')), 5000);
        });
      }
      return queue.shift() as ConfigResult;
    },
  };
}

describe('watchConfigFile', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function setup(): { file: string; watcher: ConfigWatcher; next: () => Promise<ConfigResult> } {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'quietwatt.yaml');
    writeFileSync(file, readText(DEFAULT_CONFIG));
    const initial = loadConfigFile(file);
    if (!initial.ok) throw new Error('default.yaml is invalid');
    const reloads = nextReload();
    const watcher = watchConfigFile(file, reloads.onReload, {
      debounceMs: 50,
      initial: initial.config,
      ...(initial.textDigest !== undefined ? { initialDigest: initial.textDigest } : {}),
    });
    cleanups.push(() => watcher.close(), cleanup);
    return { file, watcher, next: reloads.next };
  }

  it('reloads a valid change and makes it current', async () => {
    const { file, watcher, next } = setup();
    expect(watcher.current()?.logLevel).toBe('info');
    writeFileSync(file, readText(file).replace('logLevel: info', 'logLevel: debug'));
    const r = await next();
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.logLevel).toBe('debug');
    expect(watcher.current()?.logLevel).toBe('debug');
  });

  it('reports an invalid change with its errors and keeps the old config', async () => {
    const { file, watcher, next } = setup();
    const before = watcher.current();
    writeFileSync(file, readText(file).replace('  embeddedPort: 1884', '  embeddedPort: high'));
    const r = await next();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['mqtt.embeddedPort']);
    expect(watcher.current()).toBe(before);
  });

  it('sees a save that renames a new file over the old one, as editors do', async () => {
    const { file, watcher, next } = setup();
    const tmp = `${file}.swp`;
    writeFileSync(tmp, readText(file).replace('speed: 60', 'speed: 120'));
    renameSync(tmp, file);
    const r = await next();
    expect(r.ok).toBe(true);
    expect(watcher.current()?.clock.speed).toBe(120);
  });

  it('ignores a write that leaves the text as it was', async () => {
    const { file, next } = setup();
    writeFileSync(file, readText(file));
    const reload = await Promise.race([
      next().then(() => 'reload'),
      new Promise((res) => setTimeout(() => res('none'), 400)),
    ]);
    expect(reload).toBe('none');
  });

  it('starts from the text that was loaded: an edit made before the watch began is reloaded', async () => {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'quietwatt.yaml');
    writeFileSync(file, readText(DEFAULT_CONFIG));
    const loaded = loadConfigFile(file);
    if (!loaded.ok || loaded.textDigest === undefined) throw new Error('default.yaml is invalid');
    const edited = readText(file).replace('logLevel: info', 'logLevel: debug');
    writeFileSync(file, edited);
    const reloads = nextReload();
    const watcher = watchConfigFile(file, reloads.onReload, {
      debounceMs: 50,
      initial: loaded.config,
      initialDigest: loaded.textDigest,
    });
    cleanups.push(() => watcher.close(), cleanup);
    // The same bytes again: a touch for a watcher that read the file itself, an edit for this one.
    writeFileSync(file, edited);
    const r = await reloads.next();
    expect(r.ok && r.config.logLevel).toBe('debug');
  });

  it('coalesces a burst of writes into one reload', async () => {
    const { file, next } = setup();
    const text = readText(file);
    for (const level of ['warn', 'error', 'debug'])
      writeFileSync(file, text.replace('logLevel: info', `logLevel: ${level}`));
    const r = await next();
    expect(r.ok && r.config.logLevel).toBe('debug');
    // A second reload would arrive well within this wait if the burst was not coalesced.
    const extra = await Promise.race([
      next().then(() => 'reload'),
      new Promise((res) => setTimeout(() => res('none'), 300)),
    ]);
    expect(extra).toBe('none');
  });
});

describe('ConfigFileWatcher (component)', () => {
  it('starts watching, reloads, and keeps the last valid config after stop', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'quietwatt.yaml');
      writeFileSync(file, readText(DEFAULT_CONFIG));
      const reloads = nextReload();
      const component = new ConfigFileWatcher(file, reloads.onReload, { debounceMs: 50 });
      expect(component.current()).toBeUndefined();
      await component.start();
      writeFileSync(file, readText(file).replace('logLevel: info', 'logLevel: warn'));
      expect((await reloads.next()).ok).toBe(true);
      await component.stop();
      expect(component.current()?.logLevel).toBe('warn');
    } finally {
      cleanup();
    }
  });
});
