import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { SqliteStoreError } from '../../adapters/sqlite/errors.js';
import { exportSite, importSite, type RowCounts } from '../../adapters/sqlite/site-transfer.js';
import { DB_FILE_NAME } from '../../adapters/sqlite/storage.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import type { CommandOutput } from '../output.js';
import { DEFAULT_CONFIG_FILE } from './run.js';

export const SITE_USAGE = `Usage: quietwatt site export --site ID --out FILE [--config FILE] [--force]
       quietwatt site import FILE [--config FILE] [--force]

Moves a site between instances (docs/scaling.md): export writes everything the instance's store
(${DB_FILE_NAME} under the config's storage.dir) holds of the site to FILE, a SQLite file: readings
and intervals of its meters, sensor samples, meter state, forecast models, the savings ledger and
its verification designs, the setpoint audit, alerts, commands, operator modes and what control
learned of its spaces and devices. import loads FILE into another instance's store in one
transaction: every row or none.

Move a site with both instances stopped: export from the old one, remove the site from its config
and add it to the new one's (quietwatt config check OLD.yaml NEW.yaml), import, start both.

Options:
  --site ID       (export) the site to export
  --out FILE      (export) the file to write; --force overwrites it
  --config FILE   the instance's config, naming storage.dir (default ${DEFAULT_CONFIG_FILE}); on
                  import it must list the site
  --force         (import) replace what the store already holds of the site; without it a site
                  with any data there is refused and nothing is written
  -h, --help      this text

Exit status: 0 done, 1 refused or failed (nothing written), 2 usage error.`;

interface Values {
  site?: string | undefined;
  out?: string | undefined;
  config?: string | undefined;
  force?: boolean | undefined;
  help?: boolean | undefined;
}

/** `quietwatt site export|import`. */
export async function site(args: string[], out: CommandOutput): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        out: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${SITE_USAGE}`);
    return 2;
  }
  if (values.help) {
    out.log(SITE_USAGE);
    return 0;
  }
  const [sub, ...rest] = positionals;
  const usage = (why: string) => {
    out.error(`${why}\n\n${SITE_USAGE}`);
    return 2;
  };
  if (sub === 'export') {
    if (rest.length > 0) return usage(`unexpected arguments: ${rest.join(' ')}`);
    if (values.site === undefined || values.out === undefined) return usage('export needs --site and --out');
    return runExport(values.site, values.out, values, out);
  }
  if (sub === 'import') {
    if (rest.length !== 1 || rest[0] === undefined) return usage('import needs one FILE');
    return runImport(rest[0], values, out);
  }
  return usage(
    sub === undefined ? 'no site subcommand given' : `unknown site subcommand ${JSON.stringify(sub)}`,
  );
}

function loadConfig(
  values: Values,
  out: CommandOutput,
): { config: Readonly<QuietWattConfig>; store: string } | undefined {
  const file = values.config ?? DEFAULT_CONFIG_FILE;
  const loaded = loadConfigFile(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) out.error(e.message);
    out.error(`${file} is not valid (${loaded.errors.length} error(s)): nothing done.`);
    return undefined;
  }
  return { config: loaded.config, store: join(resolve(loaded.config.storage.dir), DB_FILE_NAME) };
}

function runExport(siteId: string, file: string, values: Values, out: CommandOutput): number {
  const loaded = loadConfig(values, out);
  if (!loaded) return 1;
  const site = loaded.config.sites.find((s) => s.id === siteId);
  if (!site)
    out.error(
      `warning: ${siteId} is not in the config: exporting what the store holds of it (by its intervals)`,
    );
  const spaces = site?.spaces ?? [];
  if (existsSync(file)) {
    if (!values.force) {
      out.error(`${file} exists; pass --force to overwrite it`);
      return 1;
    }
    rmSync(file);
  }
  return reported(out, () => {
    const { meta, rows } = exportSite({
      storePath: loaded.store,
      outPath: file,
      siteId,
      meterIds: spaces.flatMap((s) => s.meters.map((m) => m.id)),
      sensorIds: spaces.flatMap((s) => s.sensors.map((x) => x.id)),
      exportedAtMs: Date.now(),
    });
    out.log(`exported site ${siteId} from ${loaded.store} to ${file}: ${describe(rows)}`);
    out.log(
      `${meta.meterIds.length} meter(s), ${meta.sensorIds.length} sensor(s), schema version ${meta.schemaVersion}`,
    );
  });
}

function runImport(file: string, values: Values, out: CommandOutput): number {
  const loaded = loadConfig(values, out);
  if (!loaded) return 1;
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  return reported(out, () => {
    const { meta, rows, replaced } = importSite({
      storePath: loaded.store,
      file,
      force: values.force === true,
      accept: (m) => {
        if (!loaded.config.sites.some((s) => s.id === m.siteId))
          throw new SqliteStoreError(
            'QW_ERR_SITE_IMPORT',
            `${configFile} does not list site ${m.siteId}: add it to this instance's config first (and remove it from the old one's)`,
          );
      },
    });
    const was = replaced > 0 ? ` (replaced ${replaced} row(s) it held)` : '';
    out.log(`imported site ${meta.siteId} into ${loaded.store}${was}: ${describe(rows)}`);
  });
}

function reported(out: CommandOutput, run: () => void): number {
  try {
    run();
    return 0;
  } catch (error) {
    out.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

const describe = (rows: RowCounts): string =>
  Object.entries(rows)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ') || 'no rows';
