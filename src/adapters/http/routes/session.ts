import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Identity } from '../../../domain/access/access.js';
import { requireViewer, SESSION_COOKIE } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';

export interface SessionRouteOptions {
  readonly lifetimeMs: number;
  readonly secureCookie: boolean;
  /** Sign-in attempts per client address and minute. */
  readonly signInPerMinute: number;
}

const SignIn = z.object({ token: z.string().min(1).max(200) }).strict();

function identityJson(identity: Identity, csrfToken: string | null, expiresAtMs: number | null) {
  return {
    name: identity.name,
    role: identity.role,
    sites: identity.sites === null ? null : [...identity.sites],
    csrfToken,
    expiresAt: expiresAtMs === null ? null : new Date(expiresAtMs).toISOString(),
  };
}

export function sessionRoutes(app: FastifyInstance, deps: HttpDeps, options: SessionRouteOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/session',
    {
      schema: { body: SignIn },
      config: { rateLimit: { max: options.signInPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const identity = await deps.access.authenticate(request.body.token);
      if (!identity) throw new HttpError('QW_HTTP_UNAUTHENTICATED', 'unknown, malformed or revoked token');
      const session = deps.access.openSession(identity, options.lifetimeMs);
      reply.setCookie(SESSION_COOKIE, session.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookie,
        path: '/',
        expires: new Date(session.expiresAtMs),
      });
      return identityJson(identity, session.csrfToken, session.expiresAtMs);
    },
  );

  r.get('/api/v1/session', { preHandler: requireViewer }, async (request) => {
    const identity = request.identity;
    if (!identity) throw new HttpError('QW_HTTP_UNAUTHENTICATED', 'sign in first');
    const session = request.sessionId === null ? undefined : deps.access.session(request.sessionId);
    return identityJson(identity, session?.csrfToken ?? null, session?.expiresAtMs ?? null);
  });

  r.delete('/api/v1/session', { preHandler: requireViewer }, async (request, reply) => {
    if (request.sessionId !== null) deps.access.closeSession(request.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}
