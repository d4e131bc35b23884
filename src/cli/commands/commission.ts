import type { QuietWattConfig } from '../../config/schema/index.js';
import { type CommissionCommand, commissionCommandTopic } from '../../services/control/commands.js';
import type { CommandOutput } from '../output.js';
import { loadCommandConfig, parseOperatorArgs, stringOption } from './broker-command.js';
import { DEFAULT_CONFIG_FILE } from './run.js';
import { cliEnvelope, printResult, sendCommand, timeoutOption } from './send-command.js';

const DEFAULT_TIMEOUT_SECONDS = 30;

const USAGE = `Usage: quietwatt commission [--config FILE] [--site ID] [--space ID] [--device ID] [--timeout SECONDS]

Asks the running service to run the commissioning check (send a command, confirm the controller's
state report, confirm the meter responds) for the named devices of active spaces; with no site,
space or device, for every device that has not passed yet. A device that passes may go active.
Sends a command on <prefix>/command/commission and prints the service's answer: each device's
result, or "accepted" while checks are still running (their results are recorded and shown in
the device status). Exits 1 when the service refuses or does not answer.
Connects to the configured broker; with \`mqtt.url: embedded\`, to the running service's embedded
broker on 127.0.0.1:<embeddedPort>.

Options:
  --config FILE   config file (default ${DEFAULT_CONFIG_FILE})
  --site ID       only this site's devices
  --space ID      only this space's devices
  --device ID     only this device
  --timeout SECONDS  how long to wait for the answer (default ${DEFAULT_TIMEOUT_SECONDS})`;

/** Devices of the config the request names (controllable kinds only), as site/space/device keys. */
function namedDevices(config: Readonly<QuietWattConfig>, request: CommissionCommand): string[] {
  const keys: string[] = [];
  for (const site of config.sites) {
    if (request.site !== undefined && site.id !== request.site) continue;
    for (const space of site.spaces) {
      if (request.space !== undefined && space.id !== request.space) continue;
      for (const device of space.devices) {
        if (request.device !== undefined && device.id !== request.device) continue;
        if (device.kind === 'lighting' || device.kind === 'hvac')
          keys.push(`${site.id}/${space.id}/${device.id}`);
      }
    }
  }
  return keys;
}

/** `quietwatt commission`: sends a commission command to the running service and prints its answer. */
export async function commission(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
  nowMs: () => number = Date.now,
): Promise<number> {
  const values = parseOperatorArgs(
    args,
    {
      config: { type: 'string', short: 'c' },
      site: { type: 'string' },
      space: { type: 'string' },
      device: { type: 'string' },
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
  const [site, space, device] = (['site', 'space', 'device'] as const).map((k) => stringOption(values, k));
  const config = loadCommandConfig(
    stringOption(values, 'config') ?? DEFAULT_CONFIG_FILE,
    'commissioning request',
    out,
  );
  if (!config) return 1;
  const request: CommissionCommand = {
    ...(site === undefined ? {} : { site }),
    ...(space === undefined ? {} : { space }),
    ...(device === undefined ? {} : { device }),
  };
  // A typo would otherwise be a request the service silently matches to nothing.
  const devices = namedDevices(config, request);
  if (devices.length === 0) {
    out.error(
      `commissioning request not sent: no lighting or HVAC device in the config matches ${JSON.stringify(request)}`,
    );
    return 1;
  }
  // The service needs a space's site and a device's space: filled in from the config when unique.
  const parts = devices.map((k) => k.split('/'));
  const only = (i: number) => {
    const values = new Set(parts.map((p) => p[i]));
    return values.size === 1 ? [...values][0] : undefined;
  };
  const siteId = site ?? (space !== undefined || device !== undefined ? only(0) : undefined);
  const spaceId = space ?? (device !== undefined ? only(1) : undefined);
  if ((space !== undefined || device !== undefined) && siteId === undefined) {
    out.error(
      `commissioning request not sent: ${devices.join(', ')} are in several sites; name one with --site`,
    );
    return 1;
  }
  if (device !== undefined && spaceId === undefined) {
    out.error(
      `commissioning request not sent: ${devices.join(', ')} are in several spaces; name one with --space`,
    );
    return 1;
  }
  const topic = commissionCommandTopic(config.mqtt.topicPrefix);
  const target = {
    ...(siteId === undefined ? {} : { siteId }),
    ...(spaceId === undefined ? {} : { spaceId }),
    ...(device === undefined ? {} : { deviceId: device }),
  };
  const result = await sendCommand(config, topic, cliEnvelope('commission', target, nowMs()), env, timeoutMs);
  return printResult(result, 'commission', timeoutMs, out);
}
