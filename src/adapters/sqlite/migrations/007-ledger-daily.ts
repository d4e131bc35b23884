import type { Migration } from './types.js';

/**
 * Daily sums of the savings ledger per site-local day, so that a community's month is read from
 * about thirty rows a series instead of seven hundred hourly ones: a portfolio's monthly summary must
 * stay a short read on the event loop it shares with ingest. The days are cut in the zone recorded
 * per site; the store fills and keeps both tables (it knows the zones, a migration does not).
 */
export const migration007LedgerDaily: Migration = {
  version: 7,
  name: 'ledger-daily',
  up(db) {
    db.exec(`
      CREATE TABLE savings_ledger_daily (
        site_id      TEXT    NOT NULL,
        kind         TEXT    NOT NULL,
        method       TEXT    NOT NULL,
        -- Local midnight of the site's day, ms since epoch (UTC).
        day_start_ms INTEGER NOT NULL,
        space_id     TEXT    NOT NULL,
        end_use      TEXT    NOT NULL,
        currency     TEXT    NOT NULL,
        hours        INTEGER NOT NULL,
        baseline_kwh REAL    NOT NULL,
        measured_kwh REAL    NOT NULL,
        avoided_kwh  REAL    NOT NULL,
        cost         REAL    NOT NULL,
        co2_kg       REAL    NOT NULL,
        -- Distinct baseline versions (or design ids) of the day's rows, comma-separated.
        versions     TEXT    NOT NULL,
        PRIMARY KEY (site_id, kind, method, day_start_ms, space_id, end_use, currency)
      ) WITHOUT ROWID;
      -- The zone each site's daily sums were cut in.
      CREATE TABLE savings_ledger_daily_zone (
        site_id TEXT PRIMARY KEY,
        zone    TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
