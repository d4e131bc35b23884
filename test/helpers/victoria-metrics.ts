import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { stopChild } from './stop-child.js';

export const VICTORIA_METRICS_PATH = '/usr/bin/victoria-metrics';

/**
 * Whether the tests against a real server of the InfluxDB write API must be skipped: outside CI on
 * a machine without Debian's victoria-metrics they are (and say why); under CI it is a failure,
 * since .ci/run installs it.
 */
export function victoriaMetricsMissing(): boolean {
  if (existsSync(VICTORIA_METRICS_PATH)) return false;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${VICTORIA_METRICS_PATH} is missing: .ci/run installs victoria-metrics`);
  console.warn(`InfluxDB sink tests skipped: no ${VICTORIA_METRICS_PATH} (apt-get install victoria-metrics)`);
  return true;
}

/** One series as /api/v1/export returns it. */
export interface ExportedSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly number[];
  readonly timestamps: readonly number[];
}

/**
 * Debian's VictoriaMetrics on a free loopback port with its own temporary data folder. Started
 * with a retention that keeps old points (the one-month default silently drops them) and no
 * latency offset (recent points are readable at once). Without deduplication flags, so a point
 * written twice shows twice.
 */
export class VictoriaMetrics {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<VictoriaMetrics> {
    const vm = new VictoriaMetrics(await freePort(), mkdtempSync(join(tmpdir(), 'qw-vm-')));
    await vm.run();
    return vm;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and data (after stop). */
  async run(): Promise<void> {
    const child = spawn(
      VICTORIA_METRICS_PATH,
      [
        `-httpListenAddr=127.0.0.1:${this.port}`,
        `-storageDataPath=${this.dataDir}`,
        '-retentionPeriod=100y',
        '-search.latencyOffset=0s',
        '-loggerLevel=ERROR',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.keep(d));
    child.stderr?.on('data', (d: Buffer) => this.keep(d));
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) break;
      try {
        const res = await fetch(`${this.url}/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`victoria-metrics did not start on ${this.url}:\n${this.output}`);
  }

  /** Stops the server (SIGTERM: it flushes and exits); data stays for run(). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) await stopChild(child);
  }

  /** Stops the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Makes recent writes searchable. */
  async forceFlush(): Promise<void> {
    const res = await fetch(`${this.url}/internal/force_flush`);
    if (!res.ok) throw new Error(`force_flush: HTTP ${res.status}`);
  }

  /**
   * Every raw sample of the matching series, read back through the server's export API. Without
   * `end` the export stops at the server's now, and a service on an accelerated clock stamps its
   * points ahead of it: the range reaches 3 days ahead (the server refuses points more than 2 days
   * ahead when they are written).
   */
  async export(match: string): Promise<ExportedSeries[]> {
    await this.forceFlush();
    const end = String(Math.ceil(Date.now() / 1000) + 3 * 86_400);
    const body = new URLSearchParams({ 'match[]': match, start: '0', end });
    const res = await fetch(`${this.url}/api/v1/export`, { method: 'POST', body });
    if (!res.ok) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
    return (await res.text())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as ExportedSeries);
  }

  private keep(data: Buffer): void {
    this.output = (this.output + data.toString()).slice(-4000);
  }
}
