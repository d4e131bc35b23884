import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface IngestChildArgs {
  readonly url: string;
  readonly clientId: string;
  /** With `meters`, the topic prefix of meters m1..mN; else the one topic of meter m1. */
  readonly topic: string;
  readonly storageDir: string;
  readonly flushSeconds: number;
  readonly meters?: number;
}

export type IngestChild = ChildProcess & {
  /** The warnings and errors it logged so far (JSON lines). */
  readonly logLines: string[];
};

/** test/helpers/ingest-child.ts in its own process; resolves once it has subscribed. */
export async function startIngestChild(args: IngestChildArgs): Promise<IngestChild> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/helpers/ingest-child.ts',
      args.url,
      args.clientId,
      args.topic,
      args.storageDir,
      String(args.flushSeconds),
      ...(args.meters === undefined ? [] : [String(args.meters)]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logLines: string[] = [];
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    logLines.push(...lines);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`ingest child exited early (${code}):\n${logLines.join('\n')}${partial}`)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().split('\n').includes('ready')) resolve();
    });
  });
  return Object.assign(child, { logLines });
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Sends `signal` and waits for the exit; SIGKILL if still running after 20 s. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await done;
  clearTimeout(timer);
}

export interface MeterTotals {
  /** Stored readings. */
  readonly n: number;
  /** Distinct reading timestamps. */
  readonly distinct: number;
  /** Sum of the stored register values (kWh). */
  readonly sumKWh: number;
  /** Sum of the meter's 15-minute interval energy (kWh). */
  readonly intervalKWh: number;
}

/**
 * A read-only look at the service's SQLite file (WAL lets it read while the service writes): per
 * meter, what is stored. Undefined while the file or its tables do not exist yet.
 */
export function storedPerMeter(storageDir: string): Map<string, MeterTotals> | undefined {
  let db: Database.Database;
  try {
    db = new Database(join(storageDir, 'quietwatt.db'), { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    const readings = db
      .prepare(
        'SELECT meter_id AS id, count(*) AS n, count(DISTINCT ts_ms) AS distinct_, sum(energy_kwh) AS kwh FROM readings GROUP BY meter_id',
      )
      .all() as { id: string; n: number; distinct_: number; kwh: number }[];
    const intervals = db
      .prepare(
        'SELECT meter_id AS id, sum(energy_kwh) AS kwh FROM intervals WHERE minutes = 15 GROUP BY meter_id',
      )
      .all() as { id: string; kwh: number | null }[];
    const interval = new Map(intervals.map((r) => [r.id, r.kwh ?? 0]));
    return new Map(
      readings.map((r) => [
        r.id,
        { n: r.n, distinct: r.distinct_, sumKWh: r.kwh, intervalKWh: interval.get(r.id) ?? 0 },
      ]),
    );
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

/** Rows left in the write-ahead inbox. */
export function inboxRows(storageDir: string): number {
  const db = new Database(join(storageDir, 'quietwatt.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM inbound_inbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
