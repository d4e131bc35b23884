/**
 * A private Mosquitto for a bench, on a free loopback port, so that the broker's work is not counted
 * in the service's event loop (the embedded broker runs inside the service). Nagle's algorithm off,
 * as request-reply traffic wants; queues large enough that nothing is dropped at the bench's rates.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownChild } from '../children.js';

export interface BenchBroker {
  readonly url: string;
  /** The broker's process id, for CPU accounting. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * `queues: 'default'` leaves Mosquitto's own limits (max_queued_messages 1000, max_inflight_messages
 * 20): what a stock broker does to a subscriber that falls behind.
 */
export async function startMosquitto(
  dir: string,
  port: number,
  options: {
    readonly queues?: 'large' | 'default';
    /** With large queues, `max_queued_messages` (per client). Default 1,000,000. */
    readonly maxQueuedMessages?: number;
  } = {},
): Promise<BenchBroker> {
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'set_tcp_nodelay true',
      'persistence false',
      ...(options.queues === 'default'
        ? []
        : [
            `max_queued_messages ${Math.ceil(options.maxQueuedMessages ?? 1_000_000)}`,
            'max_inflight_messages 1000',
          ]),
      'log_type error',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = ownChild(
    spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve());
  });
  const url = `mqtt://127.0.0.1:${port}`;
  // Ready when it accepts a TCP connection.
  const { createConnection } = await import('node:net');
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection(port, '127.0.0.1', () => {
        s.end();
        r(true);
      }).once('error', () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
