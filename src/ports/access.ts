import type { Role } from '../domain/access/access.js';

/** A stored token: only a salted hash of its secret is kept. */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Null: every site. */
  readonly sites: readonly string[] | null;
  /** `scrypt$N$r$p$<salt b64url>$<hash b64url>` */
  readonly secretHash: string;
  readonly createdAtMs: number;
  readonly revokedAtMs: number | null;
}

/** A browser session opened by signing in with a token; only a hash of the session id is kept. */
export interface SessionRecord {
  readonly idHash: string;
  readonly tokenId: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

export interface AccessStore {
  /** Throws if the name is taken (revoked tokens keep their name). */
  insertToken(token: TokenRecord): void;
  tokenById(id: string): TokenRecord | undefined;
  tokenByName(name: string): TokenRecord | undefined;
  listTokens(): TokenRecord[];
  /** Marks the token revoked and ends its sessions; false if no live token has that name. */
  revokeToken(name: string, atMs: number): boolean;
  insertSession(session: SessionRecord): void;
  sessionByHash(idHash: string): SessionRecord | undefined;
  deleteSession(idHash: string): void;
  /** Removes sessions expired before `nowMs`; returns how many. */
  pruneSessions(nowMs: number): number;
}
