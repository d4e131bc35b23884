import { randomBytes } from 'node:crypto';
import { type Identity, type Role, TOKEN_NAME_PATTERN } from '../../../domain/access/access.js';
import type { AccessStore, TokenRecord } from '../../../ports/access.js';
import { hashSecret, randomId, sameSecret, sha256, verifySecret } from './secrets.js';

/** `qw_<id>_<secret>`: the id finds the record, so one scrypt per new token, not one per token stored. */
const TOKEN_PATTERN = /^qw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** A verified token is remembered this long (by a hash of it), so bearer requests skip scrypt. */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 1_000;

export interface OpenedSession {
  /** The cookie value; only its hash is stored. */
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAtMs: number;
}

export interface SessionIdentity {
  readonly identity: Identity;
  readonly csrfToken: string;
  readonly expiresAtMs: number;
}

export interface TokenSummary {
  readonly name: string;
  readonly role: Role;
  readonly sites: readonly string[] | null;
  readonly createdAtMs: number;
  readonly revokedAtMs: number | null;
}

function identityOf(t: TokenRecord): Identity {
  return { tokenId: t.id, name: t.name, role: t.role, sites: t.sites };
}

/** CSRF token of a session: derived from the cookie, which a cross-site page cannot read. */
function csrfOf(sessionId: string): string {
  return sha256(`csrf:${sessionId}`);
}

/**
 * Tokens and sessions. Time is wall-clock time (`now`), not the service's possibly simulated
 * clock: a session's lifetime is a security matter for people, not part of the simulation.
 */
export class AccessControl {
  private readonly verified = new Map<string, { tokenId: string; untilMs: number }>();

  constructor(
    private readonly store: AccessStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a token and returns its secret, which is shown once and never stored. */
  async createToken(name: string, role: Role, sites: readonly string[] | null): Promise<string> {
    if (!TOKEN_NAME_PATTERN.test(name))
      throw new Error(
        `token name ${JSON.stringify(name)}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    if (this.store.tokenByName(name)) throw new Error(`a token named ${JSON.stringify(name)} exists already`);
    const id = randomBytes(6).toString('hex');
    const secret = `qw_${id}_${randomId(32)}`;
    this.store.insertToken({
      id,
      name,
      role,
      sites: sites === null ? null : [...sites],
      secretHash: await hashSecret(secret),
      createdAtMs: this.now(),
      revokedAtMs: null,
    });
    return secret;
  }

  listTokens(): TokenSummary[] {
    return this.store.listTokens().map((t) => ({
      name: t.name,
      role: t.role,
      sites: t.sites,
      createdAtMs: t.createdAtMs,
      revokedAtMs: t.revokedAtMs,
    }));
  }

  hasTokens(): boolean {
    return this.store.listTokens().length > 0;
  }

  revokeToken(name: string): boolean {
    this.verified.clear();
    return this.store.revokeToken(name, this.now());
  }

  /** The identity of a live token, or undefined for a malformed, unknown or revoked one. */
  async authenticate(secret: string): Promise<Identity | undefined> {
    const match = TOKEN_PATTERN.exec(secret);
    if (!match?.[1]) return undefined;
    const record = this.store.tokenById(match[1]);
    if (!record || record.revokedAtMs !== null) return undefined;
    const key = sha256(secret);
    const nowMs = this.now();
    const hit = this.verified.get(key);
    if (hit && hit.tokenId === record.id && hit.untilMs > nowMs) return identityOf(record);
    if (!(await verifySecret(secret, record.secretHash))) return undefined;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(key, { tokenId: record.id, untilMs: nowMs + VERIFIED_TTL_MS });
    return identityOf(record);
  }

  openSession(identity: Identity, lifetimeMs: number): OpenedSession {
    const nowMs = this.now();
    this.store.pruneSessions(nowMs);
    const sessionId = randomId(32);
    const expiresAtMs = nowMs + lifetimeMs;
    this.store.insertSession({
      idHash: sha256(sessionId),
      tokenId: identity.tokenId,
      createdAtMs: nowMs,
      expiresAtMs,
    });
    return { sessionId, csrfToken: csrfOf(sessionId), expiresAtMs };
  }

  /** The identity behind a session cookie, while the session and its token live. */
  session(sessionId: string): SessionIdentity | undefined {
    const s = this.store.sessionByHash(sha256(sessionId));
    if (!s || s.expiresAtMs <= this.now()) return undefined;
    const token = this.store.tokenById(s.tokenId);
    if (!token || token.revokedAtMs !== null) return undefined;
    return { identity: identityOf(token), csrfToken: csrfOf(sessionId), expiresAtMs: s.expiresAtMs };
  }

  closeSession(sessionId: string): void {
    this.store.deleteSession(sha256(sessionId));
  }

  static csrfMatches(sessionId: string, presented: string | undefined): boolean {
    return presented !== undefined && sameSecret(csrfOf(sessionId), presented);
  }
}
