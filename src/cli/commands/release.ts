import { releaseCommandPayload, releaseCommandTopic } from '../../services/control/commands.js';
import type { CommandOutput } from '../output.js';
import { loadCommandConfig, parseOperatorArgs, publishCommand, stringOption } from './broker-command.js';
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

/** `quietwatt release`: publishes the release command on the configured broker and exits. */
export async function release(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
  nowMs: () => number = Date.now,
): Promise<number> {
  const values = parseOperatorArgs(
    args,
    { config: { type: 'string', short: 'c' }, resume: { type: 'boolean' } },
    USAGE,
    out,
  );
  if (typeof values === 'number') return values;
  const config = loadCommandConfig(stringOption(values, 'config') ?? DEFAULT_CONFIG_FILE, 'release', out);
  if (!config) return 1;
  const topic = releaseCommandTopic(config.mqtt.topicPrefix);
  const released = values.resume !== true;
  // Retained: a service that (re)starts while the release is in force still honours it.
  const sent = await publishCommand(
    config,
    {
      name: 'release',
      topic,
      payload: releaseCommandPayload(released, nowMs(), 'quietwatt release'),
      retain: true,
    },
    env,
  );
  if (!sent.ok) {
    out.error(`release not sent: ${sent.error}`);
    return 1;
  }
  const url = sent.url;
  out.log(
    released
      ? `release sent on ${topic} (${url}): every device is handed back to its own schedule; \`quietwatt release --resume\` lifts it`
      : `release lifted on ${topic} (${url}): QuietWatt resumes control`,
  );
  return 0;
}
