import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ConfigResult } from '../../config/parse.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import type { Component } from '../../ports/component.js';
import { loadConfigFile } from './load.js';
import { textDigest } from './text-digest.js';

export interface ConfigWatchOptions {
  /** Quiet time after the last change before reloading: editors write a file in several steps. */
  debounceMs?: number;
  /** The config already in use; stays current until a valid change replaces it. */
  initial?: Readonly<QuietWattConfig>;
  /** The digest of the text `initial` was read from (`loadConfigFile`); else the file is read now. */
  initialDigest?: string;
  /** The watch itself failed (e.g. the directory vanished); reloads stop. */
  onWatchError?: (err: Error) => void;
}

export interface ConfigWatcher {
  /** The last valid config: an invalid change leaves it in place. */
  current(): Readonly<QuietWattConfig> | undefined;
  close(): void;
}

const readOrUndefined = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Watches a config file and reloads it on change: a valid file replaces the current config and is
 * passed to `onReload`; an invalid one is passed with its errors and the current config stays.
 * The directory is watched rather than the file, so editors that save by renaming a new file over
 * the old one are seen too. Unchanged content (e.g. a touch) triggers nothing.
 */
export function watchConfigFile(
  file: string,
  onReload: (result: ConfigResult) => void,
  options: ConfigWatchOptions = {},
): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 250;
  const name = basename(file);
  let current = options.initial;
  const digestOf = (text: string | undefined) => (text === undefined ? undefined : textDigest(text));
  let lastDigest = options.initialDigest ?? digestOf(readOrUndefined(file));
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reload = (): void => {
    timer = undefined;
    if (closed) return;
    const digest = digestOf(readOrUndefined(file));
    if (digest === undefined || digest === lastDigest) return; // mid-rename, deleted, or not really changed
    lastDigest = digest;
    const result = loadConfigFile(file);
    if (result.ok) current = result.config;
    onReload(result);
  };

  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  watcher.on('error', (err) => options.onWatchError?.(err));

  return {
    current: () => current,
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}

/** The watcher as a component for the composition root. */
export class ConfigFileWatcher implements Component {
  readonly name = 'config-watcher';
  private watcher: ConfigWatcher | undefined;

  constructor(
    private readonly file: string,
    private readonly onReload: (result: ConfigResult) => void,
    private options: ConfigWatchOptions = {},
  ) {}

  current(): Readonly<QuietWattConfig> | undefined {
    return this.watcher?.current() ?? this.options.initial;
  }

  async start(): Promise<void> {
    this.watcher ??= watchConfigFile(this.file, this.onReload, this.options);
  }

  async stop(): Promise<void> {
    const last = this.watcher?.current();
    if (last) this.options = { ...this.options, initial: last };
    this.watcher?.close();
    this.watcher = undefined;
  }
}
