import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessControl } from '../../adapters/http/auth/access-control.js';
import { SqliteAccessStore } from '../../adapters/sqlite/access-store.js';
import { openDatabaseWithBackup } from '../../adapters/sqlite/database.js';
import { DB_FILE_NAME } from '../../adapters/sqlite/storage.js';
import { ROLES } from '../../domain/access/access.js';
import type { CommandOutput } from '../output.js';
import { loadCommandConfig } from './broker-command.js';
import { DEFAULT_CONFIG_FILE } from './run.js';

const USAGE = `Usage:
  quietwatt token create NAME --role viewer|operator [--site ID ...] [--config FILE]
  quietwatt token list [--config FILE]
  quietwatt token revoke NAME [--config FILE]

API tokens for the HTTP API and the dashboard. A viewer reads; an operator also acts (modes,
commissioning, release, override). --site (repeatable) limits a token to those sites. The token is
printed once by \`create\` and only a salted hash of it is stored, in the database under the
config's storage.dir; this works while the service runs. \`revoke\` ends the token's sessions too.

Options:
  --config FILE   config file (default ${DEFAULT_CONFIG_FILE})
  --role ROLE     viewer or operator (create)
  --site ID       limit the token to a site; repeat for several (create)`;

/** `quietwatt token create|list|revoke`: manages API tokens in the service's store file. */
export async function token(args: string[], out: CommandOutput): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out.log(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    out.error(`unknown token subcommand ${JSON.stringify(sub)}\n\n${USAGE}`);
    return 2;
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  let positional: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        role: { type: 'string' },
        site: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
    positional = parsed.positionals;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    out.log(USAGE);
    return 0;
  }
  const config = loadCommandConfig(optionText(values.config) ?? DEFAULT_CONFIG_FILE, 'token', out);
  if (!config) return 1;
  const database = await openDatabaseWithBackup(join(resolve(config.storage.dir), DB_FILE_NAME));
  try {
    const access = new AccessControl(new SqliteAccessStore(database.db));
    if (sub === 'list') {
      const tokens = access.listTokens();
      if (tokens.length === 0) out.log('no tokens');
      for (const t of tokens)
        out.log(
          [
            t.name,
            t.role,
            t.sites === null ? 'all sites' : `sites: ${t.sites.join(',')}`,
            `created ${new Date(t.createdAtMs).toISOString()}`,
            t.revokedAtMs === null ? 'active' : `revoked ${new Date(t.revokedAtMs).toISOString()}`,
          ].join('\t'),
        );
      return 0;
    }
    const name = positional[0];
    if (name === undefined) {
      out.error(`token ${sub} needs a NAME\n\n${USAGE}`);
      return 2;
    }
    if (sub === 'revoke') {
      if (!access.revokeToken(name)) {
        out.error(`no active token named ${JSON.stringify(name)}`);
        return 1;
      }
      out.log(`token ${name} revoked; its sessions are ended`);
      return 0;
    }
    const roleText = optionText(values.role);
    const role = ROLES.find((r) => r === roleText);
    if (!role) {
      out.error(`--role: expected viewer or operator, got ${JSON.stringify(roleText ?? '')}`);
      return 2;
    }
    const sites = siteList(values.site);
    const unknown = sites?.filter((s) => !config.sites.some((c) => c.id === s)) ?? [];
    if (unknown.length > 0) {
      out.error(`--site: no site ${unknown.map((s) => JSON.stringify(s)).join(', ')} in the config`);
      return 2;
    }
    const secret = await access.createToken(name, role, sites);
    out.log(secret);
    return 0;
  } catch (error) {
    out.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    database.close();
  }
}

function siteList(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.filter((v): v is string => typeof v === 'string');
}

function optionText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
