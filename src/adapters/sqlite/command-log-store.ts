import type Database from 'better-sqlite3';
import { COMMAND_STATUSES, CommandEnvelope, type CommandStatus } from '../../domain/commands/envelope.js';
import {
  type CommandLogEntry,
  type CommandLogQuery,
  type CommandLogStore,
  commandLogLimit,
} from '../../ports/command-log.js';
import { ERR_BAD_ROW, SqliteStoreError } from './errors.js';
import { FilteredStatement } from './filtered-statement.js';

interface CommandSqlRow {
  id: number;
  envelope_json: string;
  issuer: string;
  status: string;
  reason: string | null;
  details_json: string;
  answered_at_ms: number;
}

const STATUSES = new Set<string>(COMMAND_STATUSES);

function toEntry(r: CommandSqlRow): CommandLogEntry {
  const command = CommandEnvelope.safeParse(JSON.parse(r.envelope_json));
  const details: unknown = JSON.parse(r.details_json);
  if (!command.success || !STATUSES.has(r.status) || !Array.isArray(details))
    throw new SqliteStoreError(ERR_BAD_ROW, `command_log row ${r.id} is not a valid command record`);
  return {
    id: r.id,
    command: command.data,
    issuer: r.issuer,
    status: r.status as CommandStatus,
    reason: r.reason,
    details: details.map(String),
    answeredAtMs: r.answered_at_ms,
  };
}

/** Every operator command with its answer; target columns are kept apart so they can be filtered on. */
export class SqliteCommandLogStore implements CommandLogStore {
  private readonly insert: Database.Statement;
  private readonly select: FilteredStatement;
  /** A site's entries plus the service-wide ones (site_id NULL); a separate shape, as the OR differs. */
  private readonly selectWithServiceWide: FilteredStatement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO command_log (command_id, action, site_id, space_id, device_id, envelope_json, issuer,
         status, reason, details_json, answered_at_ms)
       VALUES (@commandId, @action, @siteId, @spaceId, @deviceId, @envelopeJson, @issuer,
         @status, @reason, @detailsJson, @answeredAtMs)`,
    );
    this.select = new FilteredStatement(
      db,
      { siteId: 'site_id', spaceId: 'space_id', action: 'action' },
      (c) =>
        `SELECT * FROM command_log WHERE id < @beforeId AND answered_at_ms >= @sinceMs${c}
         ORDER BY id DESC LIMIT @limit`,
    );
    this.selectWithServiceWide = new FilteredStatement(
      db,
      { action: 'action' },
      (c) =>
        `SELECT * FROM command_log WHERE id < @beforeId AND answered_at_ms >= @sinceMs
           AND (site_id IS NULL OR (site_id = @siteId AND (@spaceId IS NULL OR space_id = @spaceId)))${c}
         ORDER BY id DESC LIMIT @limit`,
    );
  }

  append(entry: Omit<CommandLogEntry, 'id'>): CommandLogEntry {
    const t = entry.command.target;
    const info = this.insert.run({
      commandId: entry.command.id,
      action: entry.command.action,
      siteId: t.siteId ?? null,
      spaceId: t.spaceId ?? null,
      deviceId: t.deviceId ?? null,
      envelopeJson: JSON.stringify(entry.command),
      issuer: entry.issuer,
      status: entry.status,
      reason: entry.reason,
      detailsJson: JSON.stringify(entry.details),
      answeredAtMs: entry.answeredAtMs,
    });
    return { ...entry, id: Number(info.lastInsertRowid) };
  }

  recent(query: CommandLogQuery): CommandLogEntry[] {
    const fixed = {
      beforeId: query.beforeId ?? Number.MAX_SAFE_INTEGER,
      sinceMs: query.sinceMs ?? Number.MIN_SAFE_INTEGER,
      limit: commandLogLimit(query),
    };
    const rows =
      query.withServiceWide === true && query.siteId !== undefined
        ? this.selectWithServiceWide.all(
            { ...fixed, siteId: query.siteId, spaceId: query.spaceId ?? null },
            { action: query.action },
          )
        : this.select.all(fixed, { siteId: query.siteId, spaceId: query.spaceId, action: query.action });
    return (rows as CommandSqlRow[]).map(toEntry);
  }
}
