import type Database from 'better-sqlite3';
import { ROLES, type Role } from '../../domain/access/access.js';
import type { AccessStore, SessionRecord, TokenRecord } from '../../ports/access.js';

interface TokenRow {
  id: string;
  name: string;
  role: string;
  sites_json: string | null;
  secret_hash: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
}

function roleOf(value: string): Role {
  const role = ROLES.find((r) => r === value);
  if (!role) throw new Error(`access_tokens: unknown role ${JSON.stringify(value)}`);
  return role;
}

function tokenOf(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: roleOf(row.role),
    sites: row.sites_json === null ? null : (JSON.parse(row.sites_json) as string[]),
    secretHash: row.secret_hash,
    createdAtMs: row.created_at_ms,
    revokedAtMs: row.revoked_at_ms,
  };
}

/** Tokens and sessions of the HTTP API (migration 005). */
export class SqliteAccessStore implements AccessStore {
  private readonly insertTokenStmt: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly byName: Database.Statement;
  private readonly all: Database.Statement;
  private readonly revoke: Database.Statement;
  private readonly endSessions: Database.Statement;
  private readonly insertSessionStmt: Database.Statement;
  private readonly sessionStmt: Database.Statement;
  private readonly deleteSessionStmt: Database.Statement;
  private readonly prune: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertTokenStmt = db.prepare(
      `INSERT INTO access_tokens (id, name, role, sites_json, secret_hash, created_at_ms, revoked_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = db.prepare('SELECT * FROM access_tokens WHERE id = ?');
    this.byName = db.prepare('SELECT * FROM access_tokens WHERE name = ?');
    this.all = db.prepare('SELECT * FROM access_tokens ORDER BY created_at_ms, name');
    this.revoke = db.prepare(
      'UPDATE access_tokens SET revoked_at_ms = ? WHERE name = ? AND revoked_at_ms IS NULL RETURNING id',
    );
    this.endSessions = db.prepare('DELETE FROM access_sessions WHERE token_id = ?');
    this.insertSessionStmt = db.prepare(
      'INSERT INTO access_sessions (id_hash, token_id, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)',
    );
    this.sessionStmt = db.prepare(
      `SELECT id_hash AS idHash, token_id AS tokenId, created_at_ms AS createdAtMs, expires_at_ms AS expiresAtMs
       FROM access_sessions WHERE id_hash = ?`,
    );
    this.deleteSessionStmt = db.prepare('DELETE FROM access_sessions WHERE id_hash = ?');
    this.prune = db.prepare('DELETE FROM access_sessions WHERE expires_at_ms < ?');
  }

  insertToken(t: TokenRecord): void {
    this.insertTokenStmt.run(
      t.id,
      t.name,
      t.role,
      t.sites === null ? null : JSON.stringify(t.sites),
      t.secretHash,
      t.createdAtMs,
      t.revokedAtMs,
    );
  }

  tokenById(id: string): TokenRecord | undefined {
    const row = this.byId.get(id) as TokenRow | undefined;
    return row ? tokenOf(row) : undefined;
  }

  tokenByName(name: string): TokenRecord | undefined {
    const row = this.byName.get(name) as TokenRow | undefined;
    return row ? tokenOf(row) : undefined;
  }

  listTokens(): TokenRecord[] {
    return (this.all.all() as TokenRow[]).map(tokenOf);
  }

  revokeToken(name: string, atMs: number): boolean {
    return this.db.transaction(() => {
      const row = this.revoke.get(atMs, name) as { id: string } | undefined;
      if (!row) return false;
      this.endSessions.run(row.id);
      return true;
    })();
  }

  insertSession(s: SessionRecord): void {
    this.insertSessionStmt.run(s.idHash, s.tokenId, s.createdAtMs, s.expiresAtMs);
  }

  sessionByHash(idHash: string): SessionRecord | undefined {
    return this.sessionStmt.get(idHash) as SessionRecord | undefined;
  }

  deleteSession(idHash: string): void {
    this.deleteSessionStmt.run(idHash);
  }

  pruneSessions(nowMs: number): number {
    return this.prune.run(nowMs).changes;
  }
}
