import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QuietWattConfig } from '../../config/schema/index.js';

/** Where the service keeps its command secret when the environment gives none. */
export function commandSecretFile(config: Readonly<QuietWattConfig>): string {
  return resolve(join(config.storage.dir, 'command-secret'));
}

export interface CommandSecret {
  readonly secret: string;
  /** Where it came from, for the log: the variable's name or the file's path (never the secret). */
  readonly source: string;
}

function fromEnv(config: Readonly<QuietWattConfig>, env: Readonly<Record<string, string | undefined>>) {
  const name = config.mqtt.commands.secretEnv;
  const value = env[name];
  return value !== undefined && value !== '' ? { secret: value, source: `$${name}` } : undefined;
}

/**
 * The service's command secret: the configured environment variable, else the owner-only file in
 * the storage folder, created with 32 random bytes on first use.
 */
export function serviceCommandSecret(
  config: Readonly<QuietWattConfig>,
  env: Readonly<Record<string, string | undefined>>,
): CommandSecret {
  const given = fromEnv(config, env);
  if (given) return given;
  const file = commandSecretFile(config);
  if (!existsSync(file)) {
    mkdirSync(resolve(config.storage.dir), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { secret: readFileSync(file, 'utf8').trim(), source: file };
}

/** The secret an operator command signs with: the environment's, else the running service's file. */
export function cliCommandSecret(
  config: Readonly<QuietWattConfig>,
  env: Readonly<Record<string, string | undefined>>,
): CommandSecret | undefined {
  const given = fromEnv(config, env);
  if (given) return given;
  const file = commandSecretFile(config);
  if (!existsSync(file)) return undefined;
  try {
    return { secret: readFileSync(file, 'utf8').trim(), source: file };
  } catch {
    // Not readable by this user: the caller says how to pass the secret instead.
    return undefined;
  }
}
