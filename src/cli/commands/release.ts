import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import mqtt, { type IClientOptions } from 'mqtt';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { redactUrl } from '../../adapters/mqtt/mqtt-bus.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import { releaseCommandPayload, releaseCommandTopic } from '../../services/control/commands.js';
import type { CommandOutput } from '../output.js';
import { DEFAULT_CONFIG_FILE } from './run.js';

const USAGE = `Usage: quietwatt release [--config FILE] [--resume]

Hands every device back to its own schedule at once: native controllers get their retained
setpoint cleared, preset devices their schedule's value. The release stays in force (it is
published retained on <prefix>/command/release) until \`quietwatt release --resume\`.
Connects to the configured broker; with \`mqtt.url: embedded\`, to the running service's embedded
broker on 127.0.0.1:<embeddedPort>.

Options:
  --config FILE   config file (default ${DEFAULT_CONFIG_FILE})
  --resume        lift the release: QuietWatt resumes control at its next tick`;

export function brokerUrlOf(config: Readonly<QuietWattConfig>): string {
  return config.mqtt.url === 'embedded' ? `mqtt://127.0.0.1:${config.mqtt.embeddedPort}` : config.mqtt.url;
}

/** `quietwatt release`: publishes the release command on the configured broker and exits. */
export async function release(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
  nowMs: () => number = Date.now,
): Promise<number> {
  let values: { config?: string | undefined; resume?: boolean | undefined; help?: boolean | undefined };
  try {
    values = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        resume: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out.log(USAGE);
    return 0;
  }
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) {
    for (const error of loaded.errors) out.error(error.message);
    out.error(`release not sent: ${configFile} is not valid (${loaded.errors.length} error(s)).`);
    return 1;
  }
  const config = loaded.config;
  const url = brokerUrlOf(config);
  const m = config.mqtt;
  const username = m.usernameEnv ? env[m.usernameEnv] : undefined;
  const password = m.passwordEnv ? env[m.passwordEnv] : undefined;
  const options: IClientOptions = {
    clientId: `${m.clientId}-release-${process.pid}`,
    protocolVersion: m.url === 'embedded' ? 4 : m.protocolVersion,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(m.tls
      ? {
          rejectUnauthorized: m.tls.rejectUnauthorized,
          ...(m.tls.caFile ? { ca: readFileSync(m.tls.caFile) } : {}),
          ...(m.tls.certFile ? { cert: readFileSync(m.tls.certFile) } : {}),
          ...(m.tls.keyFile ? { key: readFileSync(m.tls.keyFile) } : {}),
        }
      : {}),
  };
  const topic = releaseCommandTopic(m.topicPrefix);
  const released = values.resume !== true;
  let client: mqtt.MqttClient | undefined;
  try {
    client = await mqtt.connectAsync(url, options);
    // Retained: a service that (re)starts while the release is in force still honours it.
    await client.publishAsync(topic, releaseCommandPayload(released, nowMs(), 'quietwatt release'), {
      qos: 1,
      retain: true,
    });
  } catch (error) {
    out.error(
      `release not sent: cannot reach the broker at ${redactUrl(url)} (${error instanceof Error ? error.message : String(error)}). Is QuietWatt running?`,
    );
    return 1;
  } finally {
    await client?.endAsync().catch(() => undefined);
  }
  out.log(
    released
      ? `release sent on ${topic} (${redactUrl(url)}): every device is handed back to its own schedule; \`quietwatt release --resume\` lifts it`
      : `release lifted on ${topic} (${redactUrl(url)}): QuietWatt resumes control`,
  );
  return 0;
}
