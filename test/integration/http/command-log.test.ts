import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandsJson } from '../../../src/adapters/http/api-shapes.js';
import type { CommandEnvelope } from '../../../src/domain/commands/envelope.js';
import { bearer, type Harness, NOW_MS, startHarness } from './harness.js';

const HOUR = 3_600_000;

function logged(h: Harness, n: number, command: Partial<CommandEnvelope>): void {
  h.commandLog.append({
    command: {
      id: `cmd-${n}`,
      action: 'set-mode',
      target: { siteId: 'north', spaceId: 'lobby' },
      mode: 'shadow',
      issuer: 'operator-1',
      issuedAt: new Date(NOW_MS - (10 - n) * 6 * HOUR).toISOString(),
      ...command,
    },
    issuer: command.issuer ?? 'operator-1',
    status: 'done',
    reason: null,
    details: [`detail ${n}`],
    answeredAtMs: NOW_MS - (10 - n) * 6 * HOUR,
  });
}

describe('GET /api/v1/commands', () => {
  let h: Harness;
  const get = (url: string, token = h.tokens.viewer) =>
    h.inject({ method: 'GET', url, headers: bearer(token) });
  const actions = (body: { commands: { action: string }[] }) => body.commands.map((c) => c.action);

  beforeAll(async () => {
    h = await startHarness();
    logged(h, 1, {});
    logged(h, 2, { action: 'release', target: {}, mode: undefined, issuer: 'cli' });
    logged(h, 3, { target: { siteId: 'south', spaceId: 'garage' }, mode: 'active' });
    logged(h, 4, { action: 'resume', target: {}, mode: undefined });
    logged(h, 5, { action: 'reset-mode', target: { siteId: 'north', spaceId: 'lobby' }, mode: undefined });
  });
  afterAll(async () => {
    await h.close();
  });

  it('needs a token', async () => {
    const res = await h.inject({ method: 'GET', url: '/api/v1/commands' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('QW_HTTP_UNAUTHENTICATED');
  });

  it('lists every command newest first, in the shape the report reads', async () => {
    const res = await get('/api/v1/commands');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(actions(body)).toEqual(['reset-mode', 'resume', 'set-mode', 'release', 'set-mode']);
    expect(body.nextCursor).toBeNull();
    // The monthly report reads this route: its schema must take the answer as it is.
    expect(CommandsJson.safeParse(body).success).toBe(true);
    expect(body.commands[4]).toEqual({
      id: expect.any(Number),
      action: 'set-mode',
      target: { siteId: 'north', spaceId: 'lobby', deviceId: null },
      mode: 'shadow',
      issuer: 'operator-1',
      status: 'done',
      reason: null,
      details: ['detail 1'],
      receivedAt: '2026-06-13T06:00:00+08:00',
    });
    // A service-wide command belongs to no site: UTC unless a site is asked for.
    expect(body.commands[3].receivedAt).toBe('2026-06-13T04:00:00Z');
  });

  it("a site's log holds its commands and the service-wide ones, in the site's offset", async () => {
    const body = (await get('/api/v1/commands?site=south')).json();
    expect(actions(body)).toEqual(['resume', 'set-mode', 'release']);
    expect(body.commands.every((c: { receivedAt: string }) => c.receivedAt.endsWith('+02:00'))).toBe(true);
    const north = (await get('/api/v1/commands?site=north&space=lobby&action=set-mode')).json();
    expect(actions(north)).toEqual(['set-mode']);
  });

  it('since keeps the newer ones; a date is local midnight of the site', async () => {
    const since = (await get('/api/v1/commands?since=2026-06-13T23:30:00%2B08:00')).json();
    expect(actions(since)).toEqual(['reset-mode', 'resume']);
    expect(actions((await get('/api/v1/commands?site=north&since=2026-06-14')).json())).toEqual([
      'reset-mode',
      'resume',
    ]);
  });

  it('pages with limit and the cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let url = '/api/v1/commands?limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const body = (await get(url)).json();
      seen.push(...actions(body));
      if (body.nextCursor === null) break;
      expect(body.nextCursor).toBe(body.commands[1].id);
      url = `/api/v1/commands?limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual(['reset-mode', 'resume', 'set-mode', 'release', 'set-mode']);
  });

  it('a scoped token sees its site and the service-wide commands; another site is 403', async () => {
    const own = (await get('/api/v1/commands', h.tokens.scopedSouth)).json();
    expect(actions(own)).toEqual(['resume', 'set-mode', 'release']);
    const other = await get('/api/v1/commands?site=north', h.tokens.scopedSouth);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('QW_HTTP_FORBIDDEN');
  });

  it('bad parameters are 400s naming the parameter', async () => {
    for (const [query, name] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['cursor=abc', 'cursor'],
      ['action=explode', 'action'],
      ['since=yesterday', 'since'],
      ['space=lobby', 'space'],
      ['site=atlantis', 'site'],
    ] as const) {
      const res = await get(`/api/v1/commands?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code).toBe('QW_HTTP_BAD_QUERY');
      expect(res.json().message, query).toContain(`"${name}"`);
    }
  });
});
