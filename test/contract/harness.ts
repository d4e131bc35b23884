import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/adapters/sqlite/database.js';

/** One store under test and how to dispose of it. */
export interface StoreHarness<S> {
  readonly store: S;
  close(): void;
}

export type StoreFactory<S> = () => StoreHarness<S>;

/** A fresh SQLite file in its own temp directory per test, removed afterwards. */
export function sqliteFactory<S>(make: (db: Database.Database) => S): StoreFactory<S> {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'qw-contract-'));
    const database = openDatabase(join(dir, 'quietwatt.db'));
    return {
      store: make(database.db),
      close() {
        database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

export function memoryFactory<S>(make: () => S): StoreFactory<S> {
  return () => ({ store: make(), close() {} });
}

/** Runs `body` with a fresh store from the factory, closing it even when an assertion fails. */
export function withStore<S>(factory: StoreFactory<S>, body: (store: S) => void): () => void {
  return () => {
    const h = factory();
    try {
      body(h.store);
    } finally {
      h.close();
    }
  };
}
