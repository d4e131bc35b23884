import type { Migration } from './types.js';

/** Alert records (one open per key) and the log of operator commands with their answers. */
export const migration004AlertsCommands: Migration = {
  version: 4,
  name: 'alerts-commands',
  up(db) {
    db.exec(`
      -- A raise for a key that is open updates that row; once cleared, the next raise opens a new row.
      CREATE TABLE alerts (
        alert_id       INTEGER PRIMARY KEY AUTOINCREMENT,
        key            TEXT    NOT NULL,
        kind           TEXT    NOT NULL,
        site_id        TEXT,
        space_id       TEXT,
        severity       TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        message        TEXT    NOT NULL,
        since_ms       INTEGER NOT NULL,
        cleared_at_ms  INTEGER
      );
      CREATE UNIQUE INDEX alerts_open_key ON alerts (key) WHERE cleared_at_ms IS NULL;
      CREATE INDEX alerts_since ON alerts (since_ms);

      CREATE TABLE command_log (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        command_id      TEXT    NOT NULL,
        action          TEXT    NOT NULL,
        site_id         TEXT,
        space_id        TEXT,
        device_id       TEXT,
        envelope_json   TEXT    NOT NULL,
        issuer          TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('accepted', 'done', 'refused')),
        reason          TEXT,
        details_json    TEXT    NOT NULL,
        answered_at_ms  INTEGER NOT NULL
      );
      CREATE INDEX command_log_answered ON command_log (answered_at_ms);
    `);
  },
};
