import {
  COMMAND_ACTIONS,
  type CommandAction,
  type CommandResponse,
  type CommandTarget,
  refused,
} from '../../domain/commands/envelope.js';
import { verifySignedCommand } from '../../domain/commands/signature.js';
import { LogRateLimiter } from '../../domain/ingest/rate-limiter.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { InboundMessage, MessageBus } from '../../ports/message-bus.js';
import type { CommandHandler } from '../../ports/operations.js';
import {
  type CommandTopicKind,
  commandResponseTopic,
  commandTopic,
  commissionCommandTopic,
  parseCommandMessage,
  releaseCommandTopic,
} from '../control/commands.js';
import type { CommandSequence } from './command-sequence.js';

export interface MqttCommandChannelDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly handler: CommandHandler;
  readonly prefix: string;
  /** The shared secret messages are signed with, and the last sequence number carried out. */
  readonly auth: { readonly secret: string; readonly sequence: CommandSequence };
  /**
   * With several instances on one broker (`instance.id`), each receives every command: whether a
   * target is this instance's. A command for another instance's site is left to it, unanswered
   * and without moving the sequence, so its sender hears only from the instance that holds it.
   */
  readonly holds?: (target: CommandTarget) => boolean;
  /** `instance.id`: carried in every answer, so a sender of a command for all can tell who answered. */
  readonly instanceId?: string;
}

/** Answers live a few minutes on brokers that honour MQTT 5 message expiry. */
const RESPONSE_EXPIRY_SECONDS = 300;

/**
 * The MQTT face of the command handler: `<prefix>/command` (any action), `<prefix>/command/release`
 * and `<prefix>/command/commission` take a signed message (src/domain/commands/signature.ts) whose
 * body is a CommandEnvelope (the last two topics also take their older payloads inside it); each
 * answer goes to `<prefix>/command/response/<id>` at QoS 1, not retained. Only a message that
 * verifies and whose sequence number is newer than the last carried out acts, retained or not: a
 * release sent while the service was down holds after its start, and a replayed or older message
 * changes nothing. Unsigned or forged messages get no answer (nothing they say can be trusted,
 * their id included) and are logged at most once a minute per topic.
 */
export class MqttCommandChannel implements Component {
  readonly name = 'mqtt-commands';
  private readonly topics: Record<string, CommandTopicKind>;
  /** Messages refused for want of a valid signature, and their warnings (1 a minute per topic). */
  private unsigned = 0;
  private readonly logLimit = new LogRateLimiter(1);

  constructor(private readonly deps: MqttCommandChannelDeps) {
    this.topics = {
      [commandTopic(deps.prefix)]: 'any',
      [releaseCommandTopic(deps.prefix)]: 'release',
      [commissionCommandTopic(deps.prefix)]: 'commission',
    };
  }

  async start(): Promise<void> {
    await this.deps.bus.subscribe(Object.keys(this.topics), this.onMessage);
  }

  async stop(): Promise<void> {
    try {
      await this.deps.bus.unsubscribe(Object.keys(this.topics), this.onMessage);
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, 'command topics unsubscribe failed');
    }
  }

  private readonly onMessage = (m: InboundMessage): void => {
    const kind = this.topics[m.topic];
    if (kind === undefined) return;
    const nowMs = this.deps.clock.now();
    const text = Buffer.from(m.payload).toString('utf8');
    if (m.retained && text.trim() === '') return;
    const verified = verifySignedCommand(text, this.deps.auth.secret);
    if (!verified.ok) {
      this.unsigned += 1;
      const decision = this.logLimit.check(m.topic, nowMs);
      if (decision.log)
        this.deps.log.warn(
          { topic: m.topic, error: verified.error, refused: this.unsigned, suppressed: decision.suppressed },
          'command refused: not signed with the command secret',
        );
      return;
    }
    const parsed = parseCommandMessage(kind, JSON.stringify(verified.command), nowMs);
    if (!parsed.ok) {
      this.deps.log.warn({ topic: m.topic, error: parsed.error }, 'unreadable command refused');
      // Answer when the sender can be told: it gave an id.
      if (parsed.id !== undefined) {
        const action: CommandAction = COMMAND_ACTIONS.find((a) => a === parsed.action) ?? 'release';
        void this.answer(parsed.id, refused({ id: parsed.id, action }, parsed.error, nowMs));
      }
      return;
    }
    const command = parsed.command;
    if (this.deps.holds && !this.deps.holds(command.target)) {
      this.deps.log.debug(
        { topic: m.topic, command: command.id },
        'command left to the instance that holds its target',
      );
      return;
    }
    const last = this.deps.auth.sequence.last();
    if (!this.deps.auth.sequence.advance(verified.seq)) {
      const reason = `sequence ${verified.seq} is not newer than ${last}: a replayed or older command changes nothing`;
      this.deps.log.info({ topic: m.topic, command: command.id, retained: m.retained }, reason);
      if (!m.retained) void this.answer(command.id, refused(command, reason, nowMs));
      return;
    }
    void this.deps.handler
      .execute(command)
      .then((response) => this.answer(command.id, response))
      .catch((error: unknown) => this.deps.log.error({ err: String(error) }, 'command handling failed'));
  };

  private async answer(id: string, response: CommandResponse): Promise<void> {
    const instance = this.deps.instanceId;
    const answer: CommandResponse = instance === undefined ? response : { ...response, instance };
    try {
      await this.deps.bus.publish(commandResponseTopic(this.deps.prefix, id), JSON.stringify(answer), {
        qos: 1,
        retain: false,
        messageExpirySeconds: RESPONSE_EXPIRY_SECONDS,
      });
    } catch (error) {
      this.deps.log.warn({ command: id, err: String(error) }, 'command response not published');
    }
  }
}
