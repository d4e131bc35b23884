import type { QuietWattConfig } from '../../config/schema/index.js';
import { type CommissionCommand, commissionCommandTopic } from '../../services/control/commands.js';
import type { CommandOutput } from '../output.js';
import { loadCommandConfig, parseOperatorArgs, publishCommand, stringOption } from './broker-command.js';
import { DEFAULT_CONFIG_FILE } from './run.js';

const USAGE = `Usage: quietwatt commission [--config FILE] [--site ID] [--space ID] [--device ID]

Asks the running service to run the commissioning check (send a command, confirm the controller's
state report, confirm the meter responds) for the named devices of active spaces; with no site,
space or device, for every device that has not passed yet. A device that passes may go active.
The service logs each result and records it; the request is published on <prefix>/command/commission.
Connects to the configured broker; with \`mqtt.url: embedded\`, to the running service's embedded
broker on 127.0.0.1:<embeddedPort>.

Options:
  --config FILE   config file (default ${DEFAULT_CONFIG_FILE})
  --site ID       only this site's devices
  --space ID      only this space's devices
  --device ID     only this device`;

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

/** `quietwatt commission`: publishes a commissioning request on the configured broker and exits. */
export async function commission(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const values = parseOperatorArgs(
    args,
    {
      config: { type: 'string', short: 'c' },
      site: { type: 'string' },
      space: { type: 'string' },
      device: { type: 'string' },
    },
    USAGE,
    out,
  );
  if (typeof values === 'number') return values;
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
  const topic = commissionCommandTopic(config.mqtt.topicPrefix);
  const sent = await publishCommand(
    config,
    { name: 'commission', topic, payload: JSON.stringify(request), retain: false },
    env,
  );
  if (!sent.ok) {
    out.error(`commissioning request not sent: ${sent.error}`);
    return 1;
  }
  const named = Object.keys(request).length === 0 ? 'every device not yet passed' : devices.join(', ');
  out.log(
    `commissioning requested on ${topic} (${sent.url}) for ${named}: the service logs each result ("commissioning passed" or "commissioning failed")`,
  );
  return 0;
}
