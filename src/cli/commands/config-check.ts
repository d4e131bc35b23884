import { loadConfigFile } from '../../adapters/config-file/load.js';
import { checkInstances, type InstanceFile } from '../../config/instances-check.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import { configWarnings } from '../../config/warnings.js';

export interface CheckOutput {
  log(line: string): void;
  error(line: string): void;
}

/** What a config holds, counted, for the one-line summary of a valid file. */
export function summarize(config: Readonly<QuietWattConfig>): string {
  const spaces = config.sites.flatMap((s) => s.spaces);
  const count = (key: 'meters' | 'sensors' | 'devices') => spaces.reduce((n, s) => n + s[key].length, 0);
  return [
    `${config.sites.length} site(s)`,
    `${spaces.length} spaces`,
    `${count('meters')} meters`,
    `${count('sensors')} sensors`,
    `${count('devices')} devices`,
    `${config.schedules.length} schedules`,
  ].join(', ');
}

/**
 * `quietwatt config check FILE`: 0 when the file is valid, 1 when it is not (every error on its own
 * line). A valid file may still get warnings (on stderr, one per line): what the service will do
 * differently from what the file seems to ask.
 */
export async function configCheck(file: string, out: CheckOutput): Promise<number> {
  const result = loadConfigFile(file);
  if (result.ok) {
    const warnings = configWarnings(result.config);
    const counted = warnings.length === 0 ? '' : `; ${warnings.length} warning(s)`;
    out.log(`${file}: valid: ${summarize(result.config)}${counted}`);
    for (const w of warnings) out.error(`${file}: ${w.path}: warning: ${w.message}`);
    return 0;
  }
  for (const e of result.errors) out.error(e.message);
  out.error(`${file}: invalid: ${result.errors.length} error(s)`);
  return 1;
}

/**
 * `quietwatt config check A.yaml B.yaml ...`: each file as above, then, when every file is valid,
 * the files as instances sharing one broker (src/config/instances-check.ts): 0 when all hold.
 */
export async function configCheckInstances(files: readonly string[], out: CheckOutput): Promise<number> {
  let failed = false;
  const valid: InstanceFile[] = [];
  for (const file of files) {
    if ((await configCheck(file, out)) !== 0) failed = true;
    const result = loadConfigFile(file);
    if (result.ok) valid.push({ file, config: result.config });
  }
  if (failed) {
    out.error('instances not checked together: fix the invalid file(s) first');
    return 1;
  }
  const errors = checkInstances(valid);
  for (const e of errors) out.error(e.message);
  if (errors.length > 0) {
    out.error(`instances: invalid: ${errors.length} error(s)`);
    return 1;
  }
  const sites = valid.reduce((n, v) => n + v.config.sites.length, 0);
  out.log(`instances: valid: ${valid.length} instances, ${sites} site(s), each served by one instance`);
  return 0;
}
