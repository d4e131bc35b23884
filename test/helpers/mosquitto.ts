import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { stopChild } from './stop-child.js';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'];

/** The installed mosquitto binary, or undefined. */
function mosquittoPath(): string | undefined {
  return MOSQUITTO.find((p) => existsSync(p));
}

/**
 * Whether tests that start their own Mosquitto must be skipped: outside CI on a machine without
 * it they are (and say why); under CI it is a failure, since .ci/run installs it.
 */
export function mosquittoMissing(): boolean {
  if (mosquittoPath()) return false;
  if (process.env.CI === 'true')
    throw new Error(
      `CI=true but mosquitto is missing (looked in ${MOSQUITTO.join(', ')}): .ci/run installs it`,
    );
  console.warn('tests against a private Mosquitto skipped: no mosquitto (apt-get install mosquitto)');
  return true;
}

export interface MosquittoOptions {
  /** Keep sessions and queued messages across a restart, in the broker's own folder. */
  readonly persistence?: boolean;
  /** Per-client queue while disconnected or while the in-flight window is full (Mosquitto's default: 1000). */
  readonly maxQueuedMessages?: number;
  /** A TLS listener with these PEM files instead of plain TCP. */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
  /** `username: password` pairs: only they may connect (no anonymous clients). */
  readonly users?: Readonly<Record<string, string>>;
  /** More lines for mosquitto.conf (`sys_interval 1`, an `acl_file`). */
  readonly extraConfig?: readonly string[];
}

/**
 * A private Mosquitto for one test file, on a free loopback port, with its config, password file
 * and persistence in a temporary folder of its own. Nagle's algorithm off (`set_tcp_nodelay`), as
 * small QoS 1 acknowledgements want. `stop()` and `start()` restart it on the same port and data.
 */
export class Mosquitto {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly conf: string,
    readonly tls: boolean,
  ) {}

  static async start(options: MosquittoOptions = {}): Promise<Mosquitto> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'qw-mosquitto-'));
    const lines = [
      `listener ${port} 127.0.0.1`,
      'set_tcp_nodelay true',
      // Started as root (CI), it would otherwise switch to the mosquitto user, who cannot read this folder.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      `max_queued_messages ${options.maxQueuedMessages ?? 1000}`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
    ];
    if (options.persistence) {
      const data = join(dir, 'data');
      mkdirSync(data);
      lines.push('persistence true', `persistence_location ${data}/`);
    } else lines.push('persistence false');
    if (options.tls) {
      lines.push(
        `cafile ${options.tls.caFile}`,
        `certfile ${options.tls.certFile}`,
        `keyfile ${options.tls.keyFile}`,
      );
    }
    if (options.users) {
      const file = join(dir, 'passwd');
      writeFileSync(file, '', { mode: 0o600 });
      for (const [user, password] of Object.entries(options.users))
        execFileSync('mosquitto_passwd', ['-b', file, user, password], { stdio: 'pipe' });
      lines.push(`password_file ${file}`, 'allow_anonymous false');
    } else lines.push('allow_anonymous true');
    lines.push(...(options.extraConfig ?? []));
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const broker = new Mosquitto(port, dir, conf, options.tls !== undefined);
    await broker.run();
    return broker;
  }

  get url(): string {
    return `${this.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`;
  }

  /** The broker's last log lines, for failure messages. */
  get log(): string {
    return this.output;
  }

  /** Starts the broker (again) on the same port, config and data; resolves once it listens. */
  async run(): Promise<void> {
    const path = mosquittoPath();
    if (!path) throw new Error('mosquitto is not installed');
    const child = spawn(path, ['-c', this.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.keep(d);
        if (this.output.includes(' running')) {
          child.stderr?.off('data', onData);
          child.stderr?.on('data', (more: Buffer) => this.keep(more));
          resolve();
        }
      };
      child.stderr?.on('data', onData);
      child.stdout?.on('data', (d: Buffer) => this.keep(d));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`mosquitto exited (${code}):\n${this.output}`)));
    });
  }

  /** SIGTERM: Mosquitto saves its persistent sessions and exits. The data stays for run(). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) await stopChild(child);
  }

  /** Stops the broker and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private keep(data: Buffer): void {
    this.output = (this.output + data.toString()).slice(-8000);
  }
}
