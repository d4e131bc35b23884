import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, startHarness } from './harness.js';

function cookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!header) throw new Error('no set-cookie');
  return header.split(';')[0] as string;
}

describe('HTTP API access control', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const READ_ROUTES = [
    '/api/v1/session',
    '/api/v1/sites',
    '/api/v1/sites/north',
    '/api/v1/sites/north/spaces/lobby',
    '/api/v1/sites/north/spaces/lobby/plan',
    '/api/v1/savings?from=2026-06-01&to=2026-06-02',
    '/api/v1/savings.csv?from=2026-06-01&to=2026-06-02',
    '/api/v1/comfort?from=2026-06-01&to=2026-06-02',
    '/api/v1/audit?from=2026-06-01&to=2026-06-02',
    '/api/v1/audit.csv?from=2026-06-01&to=2026-06-02',
    '/api/v1/models',
    '/api/v1/alerts',
    '/api/v1/config',
    '/metrics',
  ];

  it.each(READ_ROUTES)('GET %s without a token is 401', async (url) => {
    const res = await h.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'QW_HTTP_UNAUTHENTICATED' });
  });

  it.each(READ_ROUTES)('GET %s with a wrong bearer token is 401', async (url) => {
    const fake = `qw_000000000000_${'A'.repeat(43)}`;
    const res = await h.inject({ method: 'GET', url, headers: bearer(fake) });
    expect(res.statusCode).toBe(401);
  });

  it('POST /api/v1/commands: 401 without a token, 403 for a viewer, done for an operator', async () => {
    const payload = { action: 'release' };
    expect((await h.inject({ method: 'POST', url: '/api/v1/commands', payload })).statusCode).toBe(401);
    const viewer = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      payload,
      headers: bearer(h.tokens.viewer),
    });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().message).toContain('viewer-1');
    const before = h.commands.length;
    const op = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      payload,
      headers: bearer(h.tokens.operator),
    });
    expect(op.statusCode).toBe(200);
    expect(op.json()).toMatchObject({ action: 'release', status: 'done' });
    expect(h.commands.length).toBe(before + 1);
    expect(h.commands.at(-1)).toMatchObject({ issuer: 'operator-1', action: 'release' });
    expect(h.commands.at(-1)?.id).toBe(op.json().commandId);
  });

  it('a refused command answers 409 with the reason', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: bearer(h.tokens.operator),
      payload: { action: 'clear-override', target: { siteId: 'north', spaceId: 'nowhere' } },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 'refused', reason: 'unknown space "nowhere"' });
  });

  it('a command the envelope refuses (set-mode without mode) is a 400 naming the field', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: bearer(h.tokens.operator),
      payload: { action: 'set-mode', target: { siteId: 'north', spaceId: 'lobby' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('"mode"');
  });

  it('an unknown action is a 400 naming the field and the value', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: bearer(h.tokens.operator),
      payload: { action: 'explode' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('body field "action"');
    expect(res.json().message).toContain('"explode"');
  });

  it('a site-scoped token: 403 on another site, lists leave it out, commands need its site', async () => {
    const headers = bearer(h.tokens.scopedSouth);
    expect((await h.inject({ method: 'GET', url: '/api/v1/sites/north', headers })).statusCode).toBe(403);
    expect((await h.inject({ method: 'GET', url: '/api/v1/sites/south', headers })).statusCode).toBe(200);
    const sites = (await h.inject({ method: 'GET', url: '/api/v1/sites', headers })).json();
    expect(sites.sites.map((s: { id: string }) => s.id)).toEqual(['south']);
    const savings = await h.inject({
      method: 'GET',
      url: '/api/v1/savings?from=2026-06-01&to=2026-06-02&site=north',
      headers,
    });
    expect(savings.statusCode).toBe(403);
    const cmdNorth = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers,
      payload: { action: 'commission', target: { siteId: 'north' } },
    });
    expect(cmdNorth.statusCode).toBe(403);
    const cmdAll = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers,
      payload: { action: 'release' },
    });
    expect(cmdAll.statusCode).toBe(403);
    const cmdSouth = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers,
      payload: { action: 'commission', target: { siteId: 'south' } },
    });
    expect(cmdSouth.statusCode).toBe(200);
    const alerts = (await h.inject({ method: 'GET', url: '/api/v1/alerts?open=false', headers })).json();
    expect(alerts.alerts.every((a: { siteId: string | null }) => a.siteId !== 'north')).toBe(true);
  });

  it.each([
    '/api/v1/sites/north',
    '/api/v1/sites/north/spaces/lobby',
    '/api/v1/sites/north/spaces/lobby/plan',
    '/api/v1/savings?from=2026-06-01&to=2026-06-02&site=north',
    '/api/v1/savings.csv?from=2026-06-01&to=2026-06-02&site=north',
    '/api/v1/comfort?from=2026-06-01&to=2026-06-02&site=north',
    '/api/v1/audit?from=2026-06-01&to=2026-06-02&site=north',
    '/api/v1/audit.csv?from=2026-06-01&to=2026-06-02&site=north',
    '/api/v1/models?site=north',
    '/api/v1/alerts?site=north',
  ])('GET %s for a site outside the token scope is 403', async (url) => {
    const res = await h.inject({ method: 'GET', url, headers: bearer(h.tokens.scopedSouth) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'QW_HTTP_FORBIDDEN' });
    expect(res.json().message).toContain('"north"');
  });

  it('browser session: sign in, read with the cookie, CSRF refused without and accepted with the header', async () => {
    const wrong = await h.inject({ method: 'POST', url: '/api/v1/session', payload: { token: 'nope' } });
    expect(wrong.statusCode).toBe(401);

    const signIn = await h.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { token: h.tokens.operator },
    });
    expect(signIn.statusCode).toBe(200);
    const body = signIn.json();
    expect(body).toMatchObject({ name: 'operator-1', role: 'operator', sites: null });
    expect(typeof body.csrfToken).toBe('string');
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = cookieOf(signIn.headers['set-cookie']);
    // The session id is not the token.
    expect(cookie).not.toContain(h.tokens.operator);

    const me = await h.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(body.csrfToken);
    expect((await h.inject({ method: 'GET', url: '/api/v1/sites', headers: { cookie } })).statusCode).toBe(
      200,
    );

    const payload = { action: 'resume' };
    const noCsrf = await h.inject({ method: 'POST', url: '/api/v1/commands', headers: { cookie }, payload });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('QW_HTTP_CSRF');
    const badCsrf = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie, 'x-csrf-token': `${body.csrfToken}x` },
      payload,
    });
    expect(badCsrf.statusCode).toBe(403);
    const ok = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
      payload,
    });
    expect(ok.statusCode).toBe(200);
    expect(h.commands.at(-1)).toMatchObject({ action: 'resume', issuer: 'operator-1' });

    // Sign out needs the CSRF header too; afterwards the cookie is worthless.
    expect(
      (await h.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode,
    ).toBe(403);
    const out = await h.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await h.inject({ method: 'GET', url: '/api/v1/sites', headers: { cookie } })).statusCode).toBe(
      401,
    );
  });

  it('a viewer session cannot act even with the CSRF token', async () => {
    const signIn = await h.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { token: h.tokens.viewer },
    });
    const cookie = cookieOf(signIn.headers['set-cookie']);
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie, 'x-csrf-token': signIn.json().csrfToken },
      payload: { action: 'release' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('QW_HTTP_FORBIDDEN');
  });

  it('revoking a token ends its bearer use and its sessions', async () => {
    const secret = await h.access.createToken('temp', 'viewer', null);
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/sites', headers: bearer(secret) })).statusCode,
    ).toBe(200);
    const signIn = await h.inject({ method: 'POST', url: '/api/v1/session', payload: { token: secret } });
    const cookie = cookieOf(signIn.headers['set-cookie']);
    expect(h.access.revokeToken('temp')).toBe(true);
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/sites', headers: bearer(secret) })).statusCode,
    ).toBe(401);
    expect((await h.inject({ method: 'GET', url: '/api/v1/sites', headers: { cookie } })).statusCode).toBe(
      401,
    );
  });

  it('tokens are stored as salted hashes only', () => {
    const rows = h.storage.database.db
      .prepare('SELECT secret_hash FROM access_tokens')
      .pluck()
      .all() as string[];
    expect(rows.length).toBeGreaterThan(0);
    for (const hash of rows) {
      expect(hash.startsWith('scrypt$')).toBe(true);
      for (const secret of Object.values(h.tokens)) expect(hash).not.toContain(secret.slice(16));
    }
    const salts = rows.map((r) => r.split('$')[4]);
    expect(new Set(salts).size).toBe(salts.length);
  });
});

describe('sign-in rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ signInPerMinute: 3 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses the attempt after the limit with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await h.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { token: `wrong-${i}` },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { token: h.tokens.viewer },
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('QW_HTTP_RATE_LIMITED');
  });
});
