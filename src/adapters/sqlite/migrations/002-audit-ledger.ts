import type { Migration } from './types.js';

/** Setpoint audit log, savings ledger and model registry. */
export const migration002AuditLedger: Migration = {
  version: 2,
  name: 'audit-ledger',
  up(db) {
    db.exec(`
      CREATE TABLE setpoint_audit (
        id                 TEXT    PRIMARY KEY,
        site_id            TEXT    NOT NULL,
        space_id           TEXT    NOT NULL,
        device_id          TEXT    NOT NULL,
        kind               TEXT    NOT NULL,
        value_json         TEXT    NOT NULL,
        reason             TEXT    NOT NULL,
        mode               TEXT    NOT NULL CHECK (mode IN ('off', 'shadow', 'active')),
        inputs_json        TEXT    NOT NULL,
        decided_at_ms      INTEGER NOT NULL,
        valid_until_ms     INTEGER NOT NULL,
        published_at_ms    INTEGER,
        acknowledged_at_ms INTEGER,
        plan_id            TEXT    NOT NULL
      );
      CREATE INDEX setpoint_audit_space ON setpoint_audit (space_id, decided_at_ms);
      CREATE INDEX setpoint_audit_time ON setpoint_audit (decided_at_ms);
      CREATE INDEX setpoint_audit_device ON setpoint_audit (site_id, space_id, device_id, decided_at_ms);

      -- One row per hour, space, end use, kind and method; recomputation replaces it.
      CREATE TABLE savings_ledger (
        hour_start_ms    INTEGER NOT NULL,
        site_id          TEXT    NOT NULL,
        space_id         TEXT    NOT NULL,
        end_use          TEXT    NOT NULL,
        baseline_kwh     REAL    NOT NULL,
        measured_kwh     REAL    NOT NULL,
        avoided_kwh      REAL    NOT NULL,
        cost_cny         REAL    NOT NULL,
        co2_kg           REAL    NOT NULL,
        kind             TEXT    NOT NULL CHECK (kind IN ('measured', 'estimated')),
        method           TEXT    NOT NULL,
        baseline_version TEXT    NOT NULL,
        PRIMARY KEY (site_id, space_id, hour_start_ms, end_use, kind, method)
      ) WITHOUT ROWID;
      CREATE INDEX savings_ledger_time ON savings_ledger (kind, method, hour_start_ms);

      CREATE TABLE model_registry (
        site_id       TEXT    NOT NULL,
        space_id      TEXT    NOT NULL,
        end_use       TEXT    NOT NULL,
        model_kind    TEXT    NOT NULL,
        version       INTEGER NOT NULL CHECK (version >= 1),
        created_at_ms INTEGER NOT NULL,
        json          TEXT    NOT NULL,
        PRIMARY KEY (site_id, space_id, end_use, model_kind, version)
      );
    `);
  },
};
