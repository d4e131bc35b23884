import type { CommandAction, CommandEnvelope, CommandStatus } from '../domain/commands/envelope.js';

/** One operator command as it was received and answered (the audit trail of operator actions). */
export interface CommandLogEntry {
  /** Increasing per store; pages go backwards from `beforeId`. */
  readonly id: number;
  readonly command: CommandEnvelope;
  /** Who sent it: the access token's name, `cli`, `mqtt`. */
  readonly issuer: string;
  readonly status: CommandStatus;
  readonly reason: string | null;
  readonly details: readonly string[];
  /** Service time when it was answered. */
  readonly answeredAtMs: number;
}

export interface CommandLogQuery {
  readonly siteId?: string;
  /** With `siteId`: also the service-wide entries (no target site: release, resume), which concern every site. */
  readonly withServiceWide?: boolean;
  readonly spaceId?: string;
  readonly action?: CommandAction;
  /** Only entries answered at or after this time. */
  readonly sinceMs?: number;
  /** Only entries older than this id (the next page after a page ending at this id). */
  readonly beforeId?: number;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

export interface CommandLogStore {
  append(entry: Omit<CommandLogEntry, 'id'>): CommandLogEntry;
  /** Newest first. */
  recent(query: CommandLogQuery): CommandLogEntry[];
}

export const COMMAND_LOG_MAX_LIMIT = 1000;

export function commandLogLimit(query: CommandLogQuery): number {
  return Math.max(1, Math.min(COMMAND_LOG_MAX_LIMIT, Math.floor(query.limit ?? 100)));
}
