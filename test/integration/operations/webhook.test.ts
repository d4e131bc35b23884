import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../../src/adapters/webhook/webhook-notifier.js';
import type { Alert } from '../../../src/domain/alerts/alert.js';
import { captureLogger } from '../../helpers/logger.js';

interface Hit {
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/** A real local HTTP server answering each POST with the next status of `statuses` (then 200). */
async function endpoint(statuses: number[], hang = false) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString('utf8');
    });
    req.on('end', () => {
      hits.push({ headers: req.headers, body: JSON.parse(text) });
      if (hang) return;
      res.statusCode = statuses.shift() ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    hits,
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const alert: Alert = {
  key: 'stale-meter:maple:lobby:lobby-meter',
  kind: 'stale-meter',
  siteId: 'maple',
  spaceId: 'lobby',
  severity: 'warning',
  message: 'meter lobby-meter silent for 45 min',
  sinceMs: Date.parse('2026-07-15T04:00:00Z'),
  clearedAtMs: null,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function notifier(url: string, over: Partial<ConstructorParameters<typeof WebhookNotifier>[0]> = {}) {
  const log = captureLogger();
  const n = new WebhookNotifier({
    url,
    minSeverity: 'warning',
    timeoutMs: 2_000,
    maxAttempts: 3,
    firstBackoffMs: 5,
    log,
    ...over,
  });
  closers.push(() => n.stop());
  return { n, log };
}

describe('alert webhook over real HTTP', () => {
  it('POSTs one JSON body per change with the bearer token, in order, and skips alerts below minSeverity', async () => {
    const ep = await endpoint([]);
    closers.push(ep.close);
    const { n } = notifier(ep.url, { token: 's3cret' });
    n.notify('raised', alert);
    n.notify('raised', { ...alert, key: 'override:maple:lobby:light', kind: 'override', severity: 'info' });
    n.notify('cleared', { ...alert, clearedAtMs: alert.sinceMs + 600_000 });
    await n.idle();
    expect(ep.hits.map((h) => h.headers.authorization)).toEqual(['Bearer s3cret', 'Bearer s3cret']);
    expect(ep.hits[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(ep.hits.map((h) => h.body)).toEqual([
      {
        msgtype: 'text',
        text: { content: '[QuietWatt] WARNING maple/lobby: meter lobby-meter silent for 45 min' },
        source: 'quietwatt',
        event: 'raised',
        alert: {
          key: alert.key,
          kind: 'stale-meter',
          severity: 'warning',
          siteId: 'maple',
          spaceId: 'lobby',
          message: alert.message,
          since: '2026-07-15T04:00:00.000Z',
          clearedAt: null,
        },
      },
      expect.objectContaining({
        event: 'cleared',
        text: { content: '[QuietWatt] CLEARED maple/lobby: meter lobby-meter silent for 45 min' },
        alert: expect.objectContaining({ clearedAt: '2026-07-15T04:10:00.000Z' }),
      }),
    ]);
  });

  it('retries a failing endpoint with backoff and stops after maxAttempts; a 4xx is not retried', async () => {
    const ep = await endpoint([503, 503]);
    closers.push(ep.close);
    const { n } = notifier(ep.url);
    n.notify('raised', alert);
    await n.idle();
    expect(ep.hits).toHaveLength(3);

    const dead = await endpoint([500, 500, 500, 500]);
    closers.push(dead.close);
    const second = notifier(dead.url);
    second.n.notify('raised', alert);
    await second.n.idle();
    expect(dead.hits).toHaveLength(3);
    expect(second.log.lines.some((l) => l.msg === 'alert push failed; given up')).toBe(true);

    const bad = await endpoint([400]);
    closers.push(bad.close);
    const third = notifier(bad.url);
    third.n.notify('raised', alert);
    await third.n.idle();
    expect(bad.hits).toHaveLength(1);
  });

  it('gives up on an endpoint that never answers after its timeout, without blocking notify', async () => {
    const ep = await endpoint([], true);
    closers.push(ep.close);
    const { n, log } = notifier(ep.url, { timeoutMs: 200, maxAttempts: 2 });
    n.notify('raised', alert);
    expect(ep.hits).toHaveLength(0);
    await n.idle();
    expect(ep.hits).toHaveLength(2);
    const failed = log.lines.find((l) => l.msg === 'alert push failed; given up');
    expect(JSON.stringify(failed?.obj)).toMatch(/TimeoutError/);
  });
});
