/** Errors of the SQLite adapter carry a stable code and the context an operator needs. */
export class SqliteStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'SqliteStoreError';
    this.code = code;
  }
}

export const ERR_SCHEMA_TOO_NEW = 'QW_ERR_DB_SCHEMA_TOO_NEW';
export const ERR_BAD_MIGRATIONS = 'QW_ERR_DB_BAD_MIGRATIONS';
export const ERR_BAD_ROW = 'QW_ERR_DB_BAD_ROW';
export const ERR_OPEN = 'QW_ERR_DB_OPEN';
export const ERR_NO_BACKUP = 'QW_ERR_DB_NO_BACKUP';
