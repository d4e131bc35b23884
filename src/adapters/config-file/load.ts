import { readFileSync } from 'node:fs';
import { makeError } from '../../config/errors.js';
import { type ConfigResult, parseConfigText } from '../../config/parse.js';
import { textDigest } from './text-digest.js';

export type { ConfigError } from '../../config/errors.js';
export type { ConfigResult } from '../../config/parse.js';

/**
 * A config file's result, with the digest of the text it was read from (when it could be read), so
 * that a watcher starts from what was loaded instead of reading the file again.
 */
export type LoadedConfigFile = ConfigResult & { readonly textDigest?: string };

/** Reads, parses and validates a YAML config file. Never throws: failures come back as errors. */
export function loadConfigFile(path: string): LoadedConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return {
      ok: false,
      errors: [makeError(path, 'QW_CONFIG_READ', { path: '', expected: `cannot read the file: ${reason}` })],
    };
  }
  return { ...parseConfigText(text, path), textDigest: textDigest(text) };
}
