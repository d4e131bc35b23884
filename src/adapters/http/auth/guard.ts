import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canAct, canSeeSite, type Identity } from '../../../domain/access/access.js';
import { HttpError } from '../errors.js';
import { AccessControl } from './access-control.js';

export const SESSION_COOKIE = 'qw_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
    /** Set when the request came with a session cookie (then state changes need the CSRF header). */
    sessionId: string | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Resolves who is asking on every request: a bearer token, else the session cookie. Refuses a
 * state-changing cookie request without the session's CSRF token; never refuses for lack of
 * identity (routes say what they need).
 */
export function installIdentity(app: FastifyInstance, access: AccessControl): void {
  app.decorateRequest('identity', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const identity = match?.[1] ? await access.authenticate(match[1]) : undefined;
      if (!identity)
        throw new HttpError('QW_HTTP_UNAUTHENTICATED', 'the bearer token is unknown, malformed or revoked');
      request.identity = identity;
      return;
    }
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId === undefined || sessionId === '') return;
    const session = access.session(sessionId);
    if (!session) return;
    request.identity = session.identity;
    request.sessionId = sessionId;
    if (UNSAFE.has(request.method)) {
      const presented = request.headers[CSRF_HEADER];
      if (!AccessControl.csrfMatches(sessionId, typeof presented === 'string' ? presented : undefined))
        throw new HttpError(
          'QW_HTTP_CSRF',
          `a signed-in browser must send the ${CSRF_HEADER} header it was given`,
        );
    }
  });
}

/** Route guard: any valid identity (viewer or operator). */
export async function requireViewer(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!request.identity)
    throw new HttpError('QW_HTTP_UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <token>');
}

/** Route guard: an operator token. */
export async function requireOperator(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireViewer(request, reply);
  if (request.identity && !canAct(request.identity))
    throw new HttpError(
      'QW_HTTP_FORBIDDEN',
      `token "${request.identity.name}" is a viewer; this needs an operator`,
    );
}

/** Refuses a site outside the token's scope. */
export function assertSite(request: FastifyRequest, siteId: string): void {
  const identity = request.identity;
  if (identity && !canSeeSite(identity, siteId))
    throw new HttpError('QW_HTTP_FORBIDDEN', `token "${identity.name}" is not scoped to site "${siteId}"`);
}

/** Whether the caller may see a site (for filtering lists). */
export function seesSite(request: FastifyRequest, siteId: string): boolean {
  return request.identity === null || canSeeSite(request.identity, siteId);
}
