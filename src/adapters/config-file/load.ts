import { readFileSync } from 'node:fs';
import { makeError } from '../../config/errors.js';
import { type ConfigResult, parseConfigText } from '../../config/parse.js';

export type { ConfigError } from '../../config/errors.js';
export type { ConfigResult } from '../../config/parse.js';

/** Reads, parses and validates a YAML config file. Never throws: failures come back as errors. */
export function loadConfigFile(path: string): ConfigResult {
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
  return parseConfigText(text, path);
}
