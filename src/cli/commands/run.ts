import { parseArgs } from 'node:util';
import { StoreAheadOfClockError } from '../../adapters/clock/store-time-guard.js';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { HttpPortError } from '../../adapters/http/server.js';
import { LogTime } from '../../adapters/log/log-time.js';
import { createRootLogger } from '../../adapters/log/root-logger.js';
import { BrokerPortError } from '../../adapters/mqtt/embedded-broker.js';
import { startService } from '../../main.js';
import type { CommandOutput } from '../output.js';

export const DEFAULT_CONFIG_FILE = 'config/default.yaml';

/** `quietwatt run [--config FILE]`: runs the service until SIGINT or SIGTERM. */
export async function run(args: string[], out: CommandOutput): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out.log(`Usage: quietwatt run [--config FILE]   (default ${DEFAULT_CONFIG_FILE})`);
    return 0;
  }
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) {
    for (const error of loaded.errors) out.error(error.message);
    out.error(`QuietWatt did not start: ${configFile} is not valid (${loaded.errors.length} error(s)).`);
    return 1;
  }
  const config = loaded.config;
  const pretty = process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json';
  // Under simulated time, lines take the service's time once its clock exists (see startService).
  const logTime = config.clock.source === 'system' ? undefined : new LogTime();
  const log = createRootLogger({ level: config.logLevel, pretty, ...(logTime ? { time: logTime } : {}) });

  // The handler stays installed from before start-up until the stop is done: a signal during start-up
  // stops the service once it is up, and a repeated signal is logged, never Node's default (exit).
  let signalled: NodeJS.Signals | undefined;
  let onStopRequest: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'already stopping');
      return;
    }
    signalled = signal;
    log.info({ signal }, 'stopping');
    onStopRequest?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let service: Awaited<ReturnType<typeof startService>>;
    try {
      service = await startService({
        config,
        configFile,
        rootLogger: log,
        env: process.env,
        ...(logTime ? { logTime } : {}),
      });
    } catch (error) {
      if (
        error instanceof BrokerPortError ||
        error instanceof HttpPortError ||
        error instanceof StoreAheadOfClockError
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
  log.info({}, 'stopped cleanly');
  log.flush();
  return 0;
}
