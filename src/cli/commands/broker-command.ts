import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { IClientOptions } from 'mqtt';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { tlsClientOptions } from '../../adapters/mqtt/mqtt-bus.js';
import { instanceIdentity } from '../../config/instance-identity.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import type { CommandOutput } from '../output.js';

/** Options of an operator command, as `util.parseArgs` reads them. */
export type OperatorOptions = NonNullable<ParseArgsConfig['options']>;
export type OperatorValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/**
 * Reads an operator command's options (`--help` included). Returns the values, or the exit code when
 * the command is done: 0 after printing the usage, 2 after a bad option.
 */
export function parseOperatorArgs(
  args: string[],
  options: OperatorOptions,
  usage: string,
  out: CommandOutput,
): OperatorValues | number {
  try {
    const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    if (values.help === true) {
      out.log(usage);
      return 0;
    }
    return values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
}

/** A string option's value, if given. */
export function stringOption(values: OperatorValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The broker an operator command goes to: the configured one, or the running service's embedded broker. */
export function brokerUrlOf(config: Readonly<QuietWattConfig>): string {
  return config.mqtt.url === 'embedded' ? `mqtt://127.0.0.1:${config.mqtt.embeddedPort}` : config.mqtt.url;
}

/** Loads the config an operator command runs against; prints its errors and returns undefined if invalid. */
export function loadCommandConfig(
  configFile: string,
  what: string,
  out: CommandOutput,
): QuietWattConfig | undefined {
  const loaded = loadConfigFile(configFile);
  if (loaded.ok) return loaded.config;
  for (const error of loaded.errors) out.error(error.message);
  out.error(`${what} not sent: ${configFile} is not valid (${loaded.errors.length} error(s)).`);
  return undefined;
}

/** Client options of a short-lived operator connection: configured credentials and TLS, no reconnects. */
export function brokerClientOptions(
  config: Readonly<QuietWattConfig>,
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): IClientOptions {
  const m = config.mqtt;
  const username = m.usernameEnv ? env[m.usernameEnv] : undefined;
  const password = m.passwordEnv ? env[m.passwordEnv] : undefined;
  return {
    clientId: `${instanceIdentity(config).clientId}-${name}-${process.pid}`,
    protocolVersion: m.url === 'embedded' ? 4 : m.protocolVersion,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...tlsClientOptions(m.tls),
  };
}
