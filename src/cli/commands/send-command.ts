import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { redactUrl } from '../../adapters/mqtt/mqtt-bus.js';
import { cliCommandSecret, commandSecretFile } from '../../adapters/secrets/command-secret.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import { type CommandEnvelope, CommandResponse, targetNamesNothing } from '../../domain/commands/envelope.js';
import { signCommand } from '../../domain/commands/signature.js';
import { statusTopic } from '../../domain/setpoints/contract.js';
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
  | {
      readonly kind: 'answered';
      /** The first answer. */
      readonly response: CommandResponse;
      /**
       * Every answer, one per instance: a command naming no site is every instance's, and the CLI
       * waits for each instance whose status topic says `online`.
       */
      readonly answers: readonly CommandResponse[];
      /** Instances online by their status topic that did not answer within the wait. */
      readonly silent: readonly string[];
      readonly url: string;
    }
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

/** The key of a single instance's answer and status (no `instance.id`). */
const SINGLE_INSTANCE = '';

/** The instance a status topic speaks for (`SINGLE_INSTANCE` for `<prefix>/status`), if it is one. */
function statusInstance(statusRoot: string, topic: string): string | undefined {
  if (topic === statusRoot) return SINGLE_INSTANCE;
  if (!topic.startsWith(`${statusRoot}/`)) return undefined;
  const id = topic.slice(statusRoot.length + 1);
  return id === '' || id.includes('/') ? undefined : id;
}

/**
 * Publishes a command envelope (QoS 1, not retained) and waits for the service's answer on its
 * response topic, subscribed before the command goes out so the answer cannot be missed. A
 * command naming no site waits for an answer from every instance online (several share a broker),
 * until the timeout at most.
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
  // A command naming no site is every instance's: wait for each instance that says it is online.
  const forAll = targetNamesNothing(command.target);
  const statusRoot = statusTopic(config.mqtt.topicPrefix);
  let client: mqtt.MqttClient | undefined;
  try {
    client = await mqtt.connectAsync(url, brokerClientOptions(config, command.action, env));
    const connected = client;
    const online = new Set<string>();
    const answers = new Map<string, CommandResponse>();
    const everyOnlineAnswered = () => [...online].every((i) => answers.has(i));
    const collected = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      connected.on('message', (t, payload) => {
        const instance = statusInstance(statusRoot, t);
        if (instance !== undefined) {
          if (payload.toString('utf8') === 'online') online.add(instance);
          else online.delete(instance);
          return;
        }
        if (t !== responseTopic) return;
        try {
          const parsed = CommandResponse.safeParse(JSON.parse(payload.toString('utf8')));
          if (!parsed.success || parsed.data.commandId !== command.id) return;
          const key = parsed.data.instance ?? SINGLE_INSTANCE;
          if (!answers.has(key)) answers.set(key, parsed.data);
          if (!forAll || everyOnlineAnswered()) {
            clearTimeout(timer);
            resolve();
          }
        } catch {
          // Not an answer this command can use; keep waiting.
        }
      });
    });
    // The retained statuses arrive right after this subscription is acknowledged, before any
    // answer to the command published after it.
    if (forAll) await client.subscribeAsync([statusRoot, `${statusRoot}/+`], { qos: 1 });
    await client.subscribeAsync(responseTopic, { qos: 1 });
    await client.publishAsync(topic, payload, { qos: 1, retain: false });
    await collected;
    const all = [...answers.values()];
    const [first] = all;
    return first
      ? {
          kind: 'answered',
          response: first,
          answers: all,
          silent: [...online].filter((i) => !answers.has(i)).sort(),
          url: redactUrl(url),
        }
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
  for (const r of result.answers) {
    const who = r.instance ? ` (instance ${r.instance})` : '';
    out.log(`${what}${who}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`);
    for (const line of r.details) out.log(`  ${line}`);
  }
  for (const instance of result.silent)
    out.error(
      `${what} (instance ${instance || 'without an id'}): no answer within ${timeoutMs / 1000} s, although its status topic says online (--timeout to wait longer)`,
    );
  const refusedAny = result.answers.some((r) => r.status === 'refused');
  return refusedAny || result.silent.length > 0 ? 1 : 0;
}

/** `--timeout SECONDS`: a positive number, or the default. Undefined when invalid. */
export function timeoutOption(value: string | undefined, defaultSeconds: number): number | undefined {
  if (value === undefined) return defaultSeconds * 1000;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
