import { releaseCommandTopic } from '../../services/control/commands.js';
import type { CommandOutput } from '../output.js';
import { loadCommandConfig, parseOperatorArgs, stringOption } from './broker-command.js';
import { DEFAULT_CONFIG_FILE } from './run.js';
import { cliEnvelope, printResult, sendCommand, timeoutOption } from './send-command.js';

const DEFAULT_TIMEOUT_SECONDS = 15;

const USAGE = `Usage: quietwatt release [--config FILE] [--resume] [--timeout SECONDS]

Hands every device back to its own schedule at once: native controllers get their retained
setpoint cleared, preset devices their schedule's value. The release stays in force, across
restarts of the service, until \`quietwatt release --resume\`.
Sends a command on <prefix>/command/release and prints the service's answer (its status, and the
devices handed back); exits 1 when the service refuses or does not answer.
Connects to the configured broker; with \`mqtt.url: embedded\`, to the running service's embedded
broker on 127.0.0.1:<embeddedPort>.

Options:
  --config FILE       config file (default ${DEFAULT_CONFIG_FILE})
  --resume            lift the release: QuietWatt resumes control at once
  --timeout SECONDS   how long to wait for the answer (default ${DEFAULT_TIMEOUT_SECONDS})`;

/** `quietwatt release`: sends release (or resume) to the running service and prints its answer. */
export async function release(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
  nowMs: () => number = Date.now,
): Promise<number> {
  const values = parseOperatorArgs(
    args,
    {
      config: { type: 'string', short: 'c' },
      resume: { type: 'boolean' },
      timeout: { type: 'string' },
    },
    USAGE,
    out,
  );
  if (typeof values === 'number') return values;
  const timeoutMs = timeoutOption(stringOption(values, 'timeout'), DEFAULT_TIMEOUT_SECONDS);
  if (timeoutMs === undefined) {
    out.error(`--timeout must be a positive number of seconds\n\n${USAGE}`);
    return 2;
  }
  const config = loadCommandConfig(stringOption(values, 'config') ?? DEFAULT_CONFIG_FILE, 'release', out);
  if (!config) return 1;
  const action = values.resume === true ? 'resume' : 'release';
  const topic = releaseCommandTopic(config.mqtt.topicPrefix);
  const result = await sendCommand(config, topic, cliEnvelope(action, {}, nowMs()), env, timeoutMs);
  return printResult(result, action, timeoutMs, out);
}
