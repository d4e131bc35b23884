import type { Migration } from './types.js';

/** API access tokens (salted hashes only) and browser sessions (hashed ids). */
export const migration005Access: Migration = {
  version: 5,
  name: 'access',
  up(db) {
    db.exec(`
      CREATE TABLE access_tokens (
        id             TEXT    PRIMARY KEY,
        name           TEXT    NOT NULL UNIQUE,
        role           TEXT    NOT NULL CHECK (role IN ('viewer', 'operator')),
        sites_json     TEXT,
        secret_hash    TEXT    NOT NULL,
        created_at_ms  INTEGER NOT NULL,
        revoked_at_ms  INTEGER
      );
      CREATE TABLE access_sessions (
        id_hash        TEXT    PRIMARY KEY,
        token_id       TEXT    NOT NULL REFERENCES access_tokens (id) ON DELETE CASCADE,
        created_at_ms  INTEGER NOT NULL,
        expires_at_ms  INTEGER NOT NULL
      );
      CREATE INDEX access_sessions_token ON access_sessions (token_id);
      CREATE INDEX access_sessions_expiry ON access_sessions (expires_at_ms);
    `);
  },
};
