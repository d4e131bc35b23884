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
import { reserveSite } from './site-reserve.js';

export const SITE_USAGE = `Usage: quietwatt site reserve --site ID [--config FILE]
       quietwatt site export --site ID --out FILE [--config FILE] [--force]
       quietwatt site import FILE [--config FILE] [--force]

Moves a site between instances (docs/scaling.md): export writes everything the instance's store
(${DB_FILE_NAME} under the config's storage.dir) holds of the site to FILE, a SQLite file: readings
and intervals of its meters, sensor samples, meter state, forecast models, the savings ledger and
its verification designs, the setpoint audit, alerts, commands, operator modes and what control
learned of its spaces and devices. import loads FILE into another instance's store in one
transaction: every row or none.

reserve, run against the new instance's config while that instance is stopped and lists the site,
subscribes the site's meter and sensor topics in the new instance's broker session, so that the
broker queues what the site publishes for it from then on: nothing is lost while the site moves.

To move a site (docs/scaling.md, "Moving a site"): stop the new instance, add the site to its config
(quietwatt config check OLD.yaml NEW.yaml) and reserve it; remove the site from the old instance's
config (it reloads) and stop that one; export from it with its old config; import into the new
one; start both.

Options:
  --site ID       (reserve, export) the site to reserve or export
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

/** `quietwatt site reserve|export|import`. */
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
  if (sub === 'reserve') {
    if (rest.length > 0) return usage(`unexpected arguments: ${rest.join(' ')}`);
    if (values.site === undefined) return usage('reserve needs --site');
    return runReserve(values.site, values, out);
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

async function runReserve(siteId: string, values: Values, out: CommandOutput): Promise<number> {
  const loaded = loadConfig(values, out);
  if (!loaded) return 1;
  const site = loaded.config.sites.find((s) => s.id === siteId);
  if (!site) {
    out.error(
      `${values.config ?? DEFAULT_CONFIG_FILE} does not list site ${siteId}: add it to this instance's config first`,
    );
    return 1;
  }
  try {
    return await reserveSite(loaded.config, site, process.env, out);
  } catch (error) {
    out.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
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
