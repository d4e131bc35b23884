import { COMMAND_ACTIONS, type CommandAction, refused } from '../../domain/commands/envelope.js';
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

export interface MqttCommandChannelDeps {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly handler: CommandHandler;
  readonly prefix: string;
}

/** Answers live a few minutes on brokers that honour MQTT 5 message expiry. */
const RESPONSE_EXPIRY_SECONDS = 300;

/**
 * The MQTT face of the command handler: `<prefix>/command` (any action), `<prefix>/command/release`
 * and `<prefix>/command/commission` take a CommandEnvelope (the last two also their older payloads);
 * each answer goes to `<prefix>/command/response/<id>` at QoS 1, not retained. Retained messages
 * are not carried out: the service keeps its own release state, and an old retained command must
 * not undo what an operator did since.
 */
export class MqttCommandChannel implements Component {
  readonly name = 'mqtt-commands';
  private readonly topics: Record<string, CommandTopicKind>;

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
    if (m.retained) {
      this.deps.log.info({ topic: m.topic }, 'retained command not carried out (only live commands are)');
      return;
    }
    const nowMs = this.deps.clock.now();
    const parsed = parseCommandMessage(kind, Buffer.from(m.payload).toString('utf8'), nowMs);
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
    void this.deps.handler
      .execute(command)
      .then((response) => this.answer(command.id, response))
      .catch((error: unknown) => this.deps.log.error({ err: String(error) }, 'command handling failed'));
  };

  private async answer(id: string, response: object): Promise<void> {
    try {
      await this.deps.bus.publish(commandResponseTopic(this.deps.prefix, id), JSON.stringify(response), {
        qos: 1,
        retain: false,
        messageExpirySeconds: RESPONSE_EXPIRY_SECONDS,
      });
    } catch (error) {
      this.deps.log.warn({ command: id, err: String(error) }, 'command response not published');
    }
  }
}
