import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { redactUrl } from '../../adapters/mqtt/mqtt-bus.js';
import { cliCommandSecret, commandSecretFile } from '../../adapters/secrets/command-secret.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import { type CommandEnvelope, CommandResponse } from '../../domain/commands/envelope.js';
import { signCommand } from '../../domain/commands/signature.js';
import { commandResponseTopic } from '../../services/control/commands.js';
import type { CommandOutput } from '../output.js';
import { brokerClientOptions, brokerUrlOf } from './broker-command.js';

let lastSeq = 0;
/** Wall-clock ms, strictly increasing within this process. */
function sequenceNow(): number {
  lastSeq = Math.max(Date.now(), lastSeq + 1);
  return lastSeq;
}

export type SendResult =
  | { readonly kind: 'answered'; readonly response: CommandResponse; readonly url: string }
  | { readonly kind: 'no-answer'; readonly url: string }
  | { readonly kind: 'error'; readonly error: string };

/** A fresh envelope from the CLI: a new id, `cli` as issuer, issued now. */
export function cliEnvelope(
  action: CommandEnvelope['action'],
  target: CommandEnvelope['target'],
  nowMs: number,
): CommandEnvelope {
  return { id: randomUUID(), action, target, issuer: 'cli', issuedAt: new Date(nowMs).toISOString() };
}

/**
 * Publishes a command envelope (QoS 1, not retained) and waits for the service's answer on its
 * response topic, subscribed before the command goes out so the answer cannot be missed.
 */
export async function sendCommand(
  config: Readonly<QuietWattConfig>,
  topic: string,
  command: CommandEnvelope,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number,
): Promise<SendResult> {
  const url = brokerUrlOf(config);
  if (!config.mqtt.commands.enabled)
    return {
      kind: 'error',
      error:
        'MQTT commands are off in this config (mqtt.commands.enabled: false); use the dashboard or the HTTP API, or enable them',
    };
  const key = cliCommandSecret(config, env);
  if (!key)
    return {
      kind: 'error',
      error: `no command secret: set $${config.mqtt.commands.secretEnv}, or run as the service's user so that ${commandSecretFile(config)} can be read`,
    };
  // The wall-clock time in ms moves forward from one command to the next, as the sequence must.
  const payload = signCommand(key.secret, sequenceNow(), command);
  const responseTopic = commandResponseTopic(config.mqtt.topicPrefix, command.id);
  let client: mqtt.MqttClient | undefined;
  try {
    client = await mqtt.connectAsync(url, brokerClientOptions(config, command.action, env));
    const connected = client;
    const answer = new Promise<CommandResponse | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      connected.on('message', (t, payload) => {
        if (t !== responseTopic) return;
        try {
          const parsed = CommandResponse.safeParse(JSON.parse(payload.toString('utf8')));
          if (!parsed.success || parsed.data.commandId !== command.id) return;
          clearTimeout(timer);
          resolve(parsed.data);
        } catch {
          // Not an answer this command can use; keep waiting.
        }
      });
    });
    await client.subscribeAsync(responseTopic, { qos: 1 });
    await client.publishAsync(topic, payload, { qos: 1, retain: false });
    const response = await answer;
    return response
      ? { kind: 'answered', response, url: redactUrl(url) }
      : { kind: 'no-answer', url: redactUrl(url) };
  } catch (error) {
    return {
      kind: 'error',
      error: `cannot reach the broker at ${redactUrl(url)} (${error instanceof Error ? error.message : String(error)}). Is QuietWatt running?`,
    };
  } finally {
    await client?.endAsync().catch(() => undefined);
  }
}

/**
 * Prints the service's answer (status, reason, details) or why there is none; returns the exit
 * code: 0 for done or accepted, 1 for refused, no answer or no broker.
 */
export function printResult(result: SendResult, what: string, timeoutMs: number, out: CommandOutput): number {
  if (result.kind === 'error') {
    out.error(`${what} not sent: ${result.error}`);
    return 1;
  }
  if (result.kind === 'no-answer') {
    out.error(
      `${what} sent to ${result.url}, but the service did not answer within ${timeoutMs / 1000} s: is QuietWatt running and connected to this broker, and (with several instances) does one of them hold the site named? (--timeout to wait longer)`,
    );
    return 1;
  }
  const r = result.response;
  out.log(`${what}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`);
  for (const line of r.details) out.log(`  ${line}`);
  return r.status === 'refused' ? 1 : 0;
}

/** `--timeout SECONDS`: a positive number, or the default. Undefined when invalid. */
export function timeoutOption(value: string | undefined, defaultSeconds: number): number | undefined {
  if (value === undefined) return defaultSeconds * 1000;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
