import type { Migration } from './types.js';

/**
 * Money in the site's currency: the ledger's cost column loses its CNY-bound name and each row says
 * which ISO 4217 currency its cost is in. Rows written before were priced in CNY, the only currency
 * the tariffs knew, so that is their default.
 */
export const migration006LedgerCurrency: Migration = {
  version: 6,
  name: 'ledger-currency',
  up(db) {
    db.exec(`
      ALTER TABLE savings_ledger RENAME COLUMN cost_cny TO cost;
      ALTER TABLE savings_ledger ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY'
        CHECK (length(currency) = 3 AND currency = upper(currency));
    `);
  },
};
