import { consoleOutput } from './output.js';

const USAGE = `quietwatt — software-only energy savings for shared spaces

Usage:
  quietwatt run [--config FILE]               run the service (default config/default.yaml)
  quietwatt config check FILE [FILE...]       validate a config file (several: instances side by side)
  quietwatt import FILE.csv --meter ID        load a meter's history (billing or BMS export)
  quietwatt backtest FILE.csv [options]       forecast accuracy per model, baseline and day-ahead
  quietwatt savings FILE.csv --baseline-end DATE [options]
                                              avoided energy, % and its uncertainty
  quietwatt release [--config FILE] [--resume]
                                              hand every device back to its own schedule
  quietwatt commission [--config FILE] [--site ID] [--space ID] [--device ID]
                                              run the commissioning check on devices
  quietwatt status [--site ID] [--space ID] [--json]
                                              what the running service does (over its HTTP API)
  quietwatt report --month YYYY-MM [--site ID] [--lang en|zh] [--out FILE]
                                              a community's printable monthly report
  quietwatt token create|list|revoke [NAME]   manage API tokens (viewer, operator)
  quietwatt backup FILE [--config FILE]       an online, consistent copy of the SQLite store
  quietwatt site reserve --site ID [--config FILE]
  quietwatt site export --site ID --out FILE [--config FILE]
  quietwatt site import FILE [--config FILE] [--force]
                                              move a site and its data between instances
  quietwatt help                              this text

Every command accepts --help. status and report take --url (default http://127.0.0.1:8080)
and --token (or QUIETWATT_TOKEN).`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: async (args) => (await import('./commands/run.js')).run(args, consoleOutput),
  config: async (args) => (await import('./commands/config-command.js')).config(args, consoleOutput),
  backtest: async (args) => (await import('./commands/backtest.js')).backtest(args, consoleOutput),
  savings: async (args) => (await import('./commands/savings.js')).savings(args, consoleOutput),
  import: async (args) => (await import('./commands/import.js')).importHistory(args, consoleOutput),
  release: async (args) => (await import('./commands/release.js')).release(args, consoleOutput),
  commission: async (args) => (await import('./commands/commission.js')).commission(args, consoleOutput),
  status: async (args) => (await import('./commands/status.js')).status(args, consoleOutput),
  report: async (args) => (await import('./commands/report.js')).report(args, consoleOutput),
  token: async (args) => (await import('./commands/token.js')).token(args, consoleOutput),
  backup: async (args) => (await import('./commands/backup.js')).backup(args, consoleOutput),
  site: async (args) => (await import('./commands/site.js')).site(args, consoleOutput),
  help: async () => {
    consoleOutput.log(USAGE);
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    consoleOutput.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    consoleOutput.error(`unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    consoleOutput.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
