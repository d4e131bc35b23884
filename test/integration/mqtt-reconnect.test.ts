import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { captureLogger } from '../helpers/logger.js';
import { until } from '../helpers/poll.js';

/** A "broker" that drops every connection at once: each one is a failed attempt. */
let server: Server;
let port: number;
const arrivals: number[] = [];
beforeAll(async () => {
  server = createServer((socket) => {
    arrivals.push(performance.now());
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('MQTT bus reconnecting through an outage', () => {
  it('waits twice as long after each failed attempt, up to the maximum, with few warnings', async () => {
    const log = captureLogger();
    const bus = new MqttBus(
      {
        url: `mqtt://127.0.0.1:${port}`,
        clientId: 'qwtest-backoff',
        protocolVersion: 4,
        persistentSession: false,
        sessionExpirySeconds: 0,
        connectWaitMs: 100,
        reconnectBackoffMs: { min: 50, max: 400 },
      },
      new SystemClock(),
      log,
    );
    await bus.start();
    try {
      await until(() => (arrivals.length >= 7 ? true : undefined), 'seven attempts');
    } finally {
      await bus.stop();
    }
    const scheduled = log.lines.filter((l) => l.msg === 'mqtt reconnect scheduled').map((l) => l.obj);
    expect(scheduled.slice(0, 6)).toEqual([50, 100, 200, 400, 400, 400].map((retryInMs) => ({ retryInMs })));
    // Each attempt came no sooner than its wait (timers may fire late on a busy machine, never early).
    for (let k = 1; k < 7; k++) {
      const waited = (arrivals[k] ?? 0) - (arrivals[k - 1] ?? 0);
      expect(waited, `wait before attempt ${k + 1}`).toBeGreaterThanOrEqual(
        ([50, 100, 200, 400, 400, 400][k - 1] as number) - 10,
      );
    }
    const loud = log.lines.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.msg);
    // One warning that it is offline (and one that start-up carried on without it), not one per attempt.
    expect(loud.sort()).toEqual([
      'mqtt broker not reachable yet; continuing and retrying in the background',
      'mqtt offline, reconnecting',
    ]);
  });
});
