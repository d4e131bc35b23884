import type { QuietWattConfig } from '../config/schema/index.js';

/** The lines printed once the service runs: what it serves, and where its parts are. */
export function startBanner(b: {
  readonly config: Readonly<QuietWattConfig>;
  readonly configFile: string;
  readonly broker: string;
  readonly storagePath: string;
  readonly clock: string;
  readonly http: string | undefined;
  readonly influx: readonly string[];
}): string[] {
  const { config } = b;
  const spaces = config.sites.reduce((n, s) => n + s.spaces.length, 0);
  const meters = config.sites.reduce((n, s) => n + s.spaces.reduce((m, sp) => m + sp.meters.length, 0), 0);
  return [
    'QuietWatt is running',
    `  config     ${b.configFile} (${config.sites.length} site(s), ${spaces} spaces, ${meters} meters)`,
    `  broker     ${b.broker}`,
    `  storage    ${b.storagePath}`,
    `  clock      ${b.clock}`,
    `  simulator  ${config.simulator.enabled ? `on (seed ${config.simulator.seed}), publishing as real meters over MQTT` : 'off'}`,
    ...(b.http ? [`  http       ${b.http}`] : []),
    ...b.influx,
  ];
}
