/**
 * Which parts of the config a reload may change while the service runs, and which need a restart.
 * A reload that changes a restart-only field is refused with the reason, and the running config
 * stays: half-taking such a change (a new broker URL in the file, the old connection in use) would
 * leave the file saying one thing and the service doing another.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ConfigErrorCode } from './errors.js';
import type { QuietWattConfig } from './schema/index.js';

/** Code of a reload refused because it changes a restart-only field. */
export const RESTART_REQUIRED_CODE: ConfigErrorCode = 'QW_CONFIG_RESTART_REQUIRED';

export interface ConfigPathReason {
  /** Dotted path of a config section or field, e.g. `storage.dir`. */
  readonly path: string;
  readonly reason: string;
}

/** Set up once at start: changing these takes a restart. */
export const RESTART_REQUIRED: readonly ConfigPathReason[] = [
  {
    path: 'version',
    reason: 'the file format is chosen when the service starts',
  },
  {
    path: 'instance',
    reason: 'the instance id names the MQTT client and its status topic, set up at start',
  },
  {
    path: 'mqtt',
    reason:
      'the broker connection (URL, client id, credentials, TLS, protocol, covering filters) and the topics built from the prefix are set up at start',
  },
  { path: 'storage.dir', reason: 'the SQLite database is opened at start' },
  { path: 'storage.flushEverySeconds', reason: 'the ingest and sensor flush timers are set up at start' },
  { path: 'clock', reason: "the service's time source and scheduler are built at start" },
  { path: 'simulator', reason: 'the community simulator is built at start' },
  {
    path: 'http',
    reason: 'the HTTP server binds its host and port and sets up its tokens and sessions at start',
  },
  { path: 'alerts', reason: 'the alert webhook is set up at start' },
  { path: 'homeAssistant', reason: 'Home Assistant discovery is set up at start' },
  { path: 'influx', reason: 'the InfluxDB sink is set up at start' },
  { path: 'logLevel', reason: 'the logger is created before the service starts' },
];

/**
 * Taken live by every service that uses them when a reload is accepted. A restart-only entry inside
 * one of these (`storage.dir` in `storage`) wins.
 */
export const LIVE_RELOAD: readonly ConfigPathReason[] = [
  {
    path: 'sites',
    reason: 'spaces, meters, sensors and devices: ingest, sensors, forecasts, control and the savings ledger',
  },
  { path: 'schedules', reason: 'control, and the savings ledger (a new verification period)' },
  {
    path: 'control',
    reason: 'modes, comfort bands and safety: control, and the savings ledger (modes, plan settings)',
  },
  { path: 'tariffs', reason: 'control (price-aware plans) and the savings ledger (cost, CO2)' },
  {
    path: 'forecast',
    reason: 'holiday calendars and refit settings: forecasts (refitted on a new calendar) and the ledger',
  },
  { path: 'savings', reason: 'baseline periods and randomized designs: the savings ledger and its views' },
  {
    path: 'storage',
    reason:
      'retention lengths: ingest, sensors and pruning read them live (storage.dir and storage.flushEverySeconds need a restart)',
  },
];

export interface RestartRequiredChange {
  /** The changed field, e.g. `mqtt.url` (a list or a whole section when it changed as one). */
  readonly path: string;
  /** The restart-only entry it falls under. */
  readonly under: string;
  readonly reason: string;
}

function valueAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaf paths under `path` whose values differ (lists compare whole). */
function changedPaths(path: string, a: unknown, b: unknown, out: string[]): void {
  if (isDeepStrictEqual(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      changedPaths(`${path}.${key}`, a[key], b[key], out);
    }
    return;
  }
  out.push(path);
}

/** The restart-only fields `next` changes from `running`; empty when the reload may go ahead. */
export function restartRequiredChanges(
  running: Readonly<QuietWattConfig>,
  next: Readonly<QuietWattConfig>,
): RestartRequiredChange[] {
  const out: RestartRequiredChange[] = [];
  for (const entry of RESTART_REQUIRED) {
    const paths: string[] = [];
    changedPaths(entry.path, valueAt(running, entry.path), valueAt(next, entry.path), paths);
    for (const path of paths) out.push({ path, under: entry.path, reason: entry.reason });
  }
  return out;
}
