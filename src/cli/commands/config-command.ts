import type { CommandOutput } from '../output.js';

export const CONFIG_USAGE = `Usage: quietwatt config check FILE [FILE...]

Validates a config file without starting anything or touching the broker or the store: the YAML
syntax, every field against the schema (config/schema.json, docs/config-reference.md), and the
references between fields (a name must name something that exists). Each error names the
file, the path, the value found and what was expected, with a "did you mean" where a name is close.
A valid file gets a one-line summary (sites, spaces, meters, sensors, devices, schedules), and a
warning line (stderr) for what the service will do differently from what the file seems to ask: an
hvac schedule colder (cooling) or warmer (heating) than the setpoint limits is clamped to them.

The running service checks its file the same way at start and on every change (an invalid edit is
refused and the running config stays).

Several files are the configs of instances sharing one broker (docs/scaling.md): each is checked
alone, then together: a site, a meter topic or a meter, sensor or device id in two files, or two
instances with the same MQTT client id or status topic (give each its own instance.id), is refused,
naming both files.

Subcommands:
  check FILE    validate FILE
  check A B ... validate A, B, ... and that they can run side by side

Options:
  --help, -h    this text

Exit status: 0 valid, 1 invalid or unreadable, 2 usage error.`;

/** `quietwatt config ...`: one subcommand today, `check`. */
export async function config(args: string[], out: CommandOutput): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    out.log(CONFIG_USAGE);
    return 0;
  }
  if (sub === 'check') {
    const file = rest[0];
    if (rest.includes('--help') || rest.includes('-h')) {
      out.log(CONFIG_USAGE);
      return 0;
    }
    const option = rest.find((a) => a.startsWith('-'));
    if (!file || option !== undefined) {
      out.error(`${file ? `unexpected option: ${option}` : 'no config file given'}\n\n${CONFIG_USAGE}`);
      return 2;
    }
    const check = await import('./config-check.js');
    return rest.length === 1 ? check.configCheck(file, out) : check.configCheckInstances(rest, out);
  }
  out.error(
    `${sub === undefined ? 'no config subcommand given' : `unknown config subcommand ${JSON.stringify(sub)}`}\n\n${CONFIG_USAGE}`,
  );
  return 2;
}
