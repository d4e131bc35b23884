/**
 * The real service for the ingest bench: `quietwatt run` as a child process (the sources through
 * tsx, as `npm run dev`), system clock, no simulator, on a config of `meters` JSON meters (100 per
 * space, one site) against the bench's broker, its store in `storageDir`. What the bench reads from
 * it: readiness, the event-loop delay and heap from its own /metrics (opened for the bench), the
 * resident memory from /proc, the committed readings from its SQLite file. A preload lets the bench
 * ask for a full garbage collection (SIGUSR2) before it reads the heap.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { DB_FILE_NAME } from '../../src/adapters/sqlite/storage.js';
import { ownChild } from '../children.js';

export const METERS_PER_SPACE = 100;
export const SITE_ID = 'bench-ingest';

export interface ServiceOptions {
  readonly dir: string;
  readonly storageDir: string;
  readonly mqttUrl: string;
  readonly httpPort: number;
  readonly topicPrefix: string;
  readonly meters: number;
  /** Its own per run: a session left by an earlier run must not be handed this run's topics. */
  readonly clientId: string;
  /** Directory for `node --cpu-prof` output; no profile when absent. */
  readonly cpuProfDir?: string;
  /** `storage.flushEverySeconds`; the service's default (2 s) when absent. */
  readonly flushEverySeconds?: number;
  /** `mqtt.coveringFilters`: one `<topicPrefix>/+` instead of a subscription per meter. */
  readonly covering?: boolean;
}

export const meterIdOf = (m: number): string => `m-${m}`;

let builtBin: string | undefined;
/**
 * The service's entry point: the sources through tsx (as `npm run dev`), or with `--built` the
 * compiled service that `npm start` and the Docker image run, built once here first.
 */
export function serviceBin(): string {
  if (!process.argv.includes('--built')) return 'src/cli/bin.js';
  if (builtBin === undefined) {
    const build = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error(`npm run build exited ${build.status}`);
    builtBin = 'dist/src/cli/bin.js';
  }
  return builtBin;
}

export function serviceConfig(o: ServiceOptions): object {
  const spaces = Math.ceil(o.meters / METERS_PER_SPACE);
  return {
    version: 1,
    mqtt: {
      url: o.mqttUrl,
      clientId: o.clientId,
      topicPrefix: 'quietwatt',
      ...(o.covering ? { coveringFilters: [`${o.topicPrefix}/+`] } : {}),
    },
    storage: {
      dir: o.storageDir,
      ...(o.flushEverySeconds !== undefined ? { flushEverySeconds: o.flushEverySeconds } : {}),
    },
    clock: { source: 'system' },
    simulator: { enabled: false },
    http: { host: '127.0.0.1', port: o.httpPort, metrics: { open: true } },
    logLevel: 'warn',
    sites: [
      {
        id: SITE_ID,
        name: 'Bench ingest',
        timezone: 'Asia/Shanghai',
        spaces: Array.from({ length: spaces }, (_, s) => ({
          id: `space-${s}`,
          type: 'corridor',
          areaM2: 100,
          meters: Array.from(
            { length: Math.min(METERS_PER_SPACE, o.meters - s * METERS_PER_SPACE) },
            (_, k) => {
              const m = s * METERS_PER_SPACE + k;
              return { id: meterIdOf(m), topic: `${o.topicPrefix}/${m}`, measures: 'total', format: 'json' };
            },
          ),
        })),
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningService {
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the first ready answer (store writable, MQTT connected, subscribed). */
  readonly startupMs: number;
  /** The event-loop delay since the previous call (a scrape resets it), ms; and the heap used, bytes. */
  scrape(): Promise<{ p99Ms: number; maxMs: number; heapUsedBytes: number; externalBytes: number }>;
  /** A full garbage collection in the service, so that the next scrape's heap is what is live. */
  collectGarbage(): Promise<void>;
  /** Resident memory now and at its peak, bytes (Linux /proc). */
  rss(): { nowBytes: number; peakBytes: number };
  /** The service's warnings and errors so far, counted by message: `"mqtt offline, reconnecting" x 2`. */
  logSummary(): string;
  /**
   * Readings committed to the store, of messages that came through the inbox (QoS 1): cheap to read
   * however large the store. Messages at QoS 0 bypass the inbox: countReadings() counts those.
   */
  storedReadings(): number;
  /** The readings table's rows: exact whatever the QoS, but tens of milliseconds at a million rows. */
  countReadings(): number;
  /** Messages the service has appended to its write-ahead inbox (received and durable). */
  receivedMessages(): number;
  /** Checks that the cheap count storedReadings() gives is the table's real row count. */
  checkStoredCount(): void;
  stop(): Promise<void>;
}

export async function startService(o: ServiceOptions): Promise<RunningService> {
  const configFile = join(o.dir, `config-${o.meters}.yaml`);
  // Its log lines (warn and above, JSON): the bench reports what they say after the run.
  const logFile = join(o.dir, `service-${o.clientId}.log`);
  writeFileSync(configFile, stringify(serviceConfig(o)));
  const base = `http://127.0.0.1:${o.httpPort}`;
  const profile = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  // With --built the first call builds the service: not part of its start-up time.
  const bin = serviceBin();
  const started = performance.now();
  const gc = ['--expose-gc', '--import', './bench/ingest/gc-on-signal.mjs'];
  const child = ownChild(
    spawn(process.execPath, [...profile, ...gc, bin, 'run', '--config', configFile], {
      stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
      env: { ...process.env, LOG_FORMAT: 'json' },
    }),
  );
  let startupMs = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with code ${child.exitCode}`);
    if (performance.now() - started > 300_000) throw new Error('service not ready within 300 s');
    try {
      if ((await fetch(`${base}/readyz`)).ok) {
        startupMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  const db = new Database(join(o.storageDir, DB_FILE_NAME), { readonly: true });
  // count(*) over the readings scans an index, tens of milliseconds at a million rows, which makes
  // the bench poll too seldom to time the last commit closely. The inbox tells the same sooner: a
  // message's inbox row is deleted in the transaction that commits its reading, and AUTOINCREMENT
  // keeps the last seq handed out in sqlite_sequence; so appended minus still pending is what is
  // committed, read from a table of at most a flush's messages. checkStoredCount() compares it with
  // the readings' own count after the run (each bench message is one reading).
  const count = db.prepare('SELECT count(*) FROM readings').pluck();
  const inboxSeq = db
    .prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'inbound_inbox'")
    .pluck();
  const inboxPending = db.prepare('SELECT count(*) FROM inbound_inbox').pluck();
  const committed = () => db.transaction(() => (inboxSeq.get() as number) - (inboxPending.get() as number))();
  const status = (key: string) => {
    const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${key}:`));
    return Number(line?.match(/(\d+)\s*kB/)?.[1] ?? Number.NaN) * 1024;
  };
  return {
    child,
    startupMs,
    async scrape() {
      const text = await (await fetch(`${base}/metrics`)).text();
      const value = (re: RegExp) => Number(text.match(re)?.[1] ?? Number.NaN);
      return {
        p99Ms: value(/^quietwatt_event_loop_delay_seconds\{quantile="0\.99"\}\s+(\S+)/m) * 1000,
        maxMs: value(/^quietwatt_event_loop_delay_seconds\{quantile="max"\}\s+(\S+)/m) * 1000,
        heapUsedBytes: value(/^quietwatt_nodejs_heap_size_used_bytes\s+(\S+)/m),
        // Typed arrays' contents live outside the V8 heap.
        externalBytes: value(/^quietwatt_nodejs_external_memory_bytes\s+(\S+)/m),
      };
    },
    logSummary() {
      const counts = new Map<string, number>();
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        let entry: { level?: unknown; msg?: unknown; err?: unknown };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue; // not a log line
        }
        // The start banner is printed whatever the level: only warnings and errors are counted.
        if (typeof entry.level === 'number' && entry.level < 40) continue;
        const msg = `${String(entry.msg)}${entry.err !== undefined ? ` (${String(entry.err)})` : ''}`;
        counts.set(msg, (counts.get(msg) ?? 0) + 1);
      }
      return counts.size === 0 ? 'none' : [...counts].map(([msg, n]) => `"${msg}" x ${n}`).join(', ');
    },
    async collectGarbage() {
      child.kill('SIGUSR2');
      await sleep(1_000);
    },
    rss: () => ({ nowBytes: status('VmRSS'), peakBytes: status('VmHWM') }),
    storedReadings: committed,
    countReadings: () => count.get() as number,
    receivedMessages: () => inboxSeq.get() as number,
    checkStoredCount() {
      const rows = count.get() as number;
      const messages = committed();
      if (rows !== messages) throw new Error(`${rows} readings stored, but ${messages} messages committed`);
    },
    async stop() {
      db.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
