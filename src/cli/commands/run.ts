import { parseArgs } from 'node:util';
import { StoreAheadOfClockError } from '../../adapters/clock/store-time-guard.js';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { HttpPortError } from '../../adapters/http/server.js';
import { LogTime } from '../../adapters/log/log-time.js';
import { createRootLogger } from '../../adapters/log/root-logger.js';
import { EmbeddedBrokerError } from '../../adapters/mqtt/embedded-broker.js';
import { StartAborted } from '../../app.js';
import { StoreOfAnotherInstanceError } from '../../main/instance-claim.js';
import { startService } from '../../main.js';
import { heldEarlySignal, takeEarlySignal } from '../early-signal.js';
import type { CommandOutput } from '../output.js';

export const DEFAULT_CONFIG_FILE = 'config/default.yaml';

export const RUN_USAGE = `Usage: quietwatt run [--config FILE]

Runs the service until Ctrl-C (SIGINT) or SIGTERM: the MQTT bus (or its embedded broker), the SQLite
store, ingest, forecasts, the savings ledger, the control loop and the HTTP API, and the community
simulator when \`simulator.enabled\`. A banner says what runs where. The config file is watched and
reloaded on change; an invalid edit is refused and the running config stays. On stop every device is
handed back to its own schedule and buffered writes are flushed. A stop requested during start-up
stops what has started; with the broker down a stop does not wait for it (each part's stop is given
a deadline), so the service exits within about 10 s whatever it was doing.

Logs go to stdout: one human-readable line per event on a terminal, JSON lines otherwise. Under a
simulated or lockstep clock (\`clock.source\` accelerated or mqtt) a line's time is the service's
simulated time, and JSON lines carry the wall-clock time as \`wallTime\`. Under \`clock.source: mqtt\`
a store holding data after \`clock.start\` is refused (exit 1): use an empty \`storage.dir\`. So is a
store that another instance (\`instance.id\`) recorded as its own (docs/scaling.md).

Options:
  --config FILE, -c FILE   config file (default ${DEFAULT_CONFIG_FILE})
  --help, -h               this text

Environment:
  LOG_FORMAT=json          JSON lines even on a terminal
  and the variables the config names for secrets (\`mqtt.usernameEnv\`, \`mqtt.passwordEnv\`,
                           \`alerts.webhook.tokenEnv\`)

Exit status: 0 stopped cleanly, 1 the config is invalid or the service could not start, 2 usage error.`;

/** `quietwatt run [--config FILE]`: runs the service until SIGINT or SIGTERM. */
export async function run(args: string[], out: CommandOutput): Promise<number> {
  let values: { config?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${RUN_USAGE}`);
    return 2;
  }
  if (values.help) {
    out.log(RUN_USAGE);
    return 0;
  }
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const pretty = process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json';
  // Stopped while the code loaded: nothing has started and nothing is held, so the config (seconds
  // for one of 100,000 meters) is not even read.
  const early = heldEarlySignal();
  if (early) {
    takeEarlySignal();
    const log = createRootLogger({ level: 'info', pretty });
    log.info({ signal: early }, 'stopping');
    return stoppedCleanly(log);
  }
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) {
    for (const error of loaded.errors) out.error(error.message);
    out.error(`QuietWatt did not start: ${configFile} is not valid (${loaded.errors.length} error(s)).`);
    return 1;
  }
  const config = loaded.config;
  // Under simulated time, lines take the service's time once its clock exists (see startService).
  const logTime = config.clock.source === 'system' ? undefined : new LogTime();
  const log = createRootLogger({ level: config.logLevel, pretty, ...(logTime ? { time: logTime } : {}) });

  // The handler stays installed from before start-up until the stop is done: a signal during start-up
  // interrupts it and stops what had started, in reverse; a repeated signal is logged, never Node's
  // default (exit). One that came while the code loaded was held by bin.js.
  let signalled: NodeJS.Signals | undefined;
  let onStopRequest: (() => void) | undefined;
  const startup = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'already stopping');
      return;
    }
    signalled = signal;
    log.info({ signal }, 'stopping');
    startup.abort();
    onStopRequest?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const held = takeEarlySignal();
  if (held) onSignal(held);
  try {
    let service: Awaited<ReturnType<typeof startService>>;
    try {
      service = await startService({
        config,
        configFile,
        ...(loaded.textDigest !== undefined ? { configFileDigest: loaded.textDigest } : {}),
        rootLogger: log,
        env: process.env,
        signal: startup.signal,
        ...(logTime ? { logTime } : {}),
      });
    } catch (error) {
      if (error instanceof StartAborted) return stoppedCleanly(log);
      if (
        error instanceof EmbeddedBrokerError ||
        error instanceof HttpPortError ||
        error instanceof StoreAheadOfClockError ||
        error instanceof StoreOfAnotherInstanceError
      ) {
        out.error(`QuietWatt did not start: ${error.message}`);
        return 1;
      }
      throw error;
    }
    for (const line of service.banner) out.log(line);
    out.log('Press Ctrl-C to stop.');
    if (!signalled)
      await new Promise<void>((resolveStop) => {
        onStopRequest = resolveStop;
      });
    await service.stop();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return stoppedCleanly(log);
}

/** How long the process may linger after a clean stop before it exits regardless. */
const EXIT_GRACE_MS = 2_000;

function stoppedCleanly(log: ReturnType<typeof createRootLogger>): number {
  log.info({}, 'stopped cleanly');
  log.flush();
  // A stop given up on after its deadline may leave a socket or timer open: do not wait for it.
  // Unreferenced, so a process with nothing left open exits at once.
  setTimeout(() => {
    log.warn({ graceMs: EXIT_GRACE_MS }, 'exiting with handles still open');
    log.flush();
    process.exit();
  }, EXIT_GRACE_MS).unref();
  return 0;
}
