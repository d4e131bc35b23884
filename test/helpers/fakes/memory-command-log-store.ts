import {
  type CommandLogEntry,
  type CommandLogQuery,
  type CommandLogStore,
  commandLogLimit,
} from '../../../src/ports/command-log.js';

export class MemoryCommandLogStore implements CommandLogStore {
  private readonly rows: CommandLogEntry[] = [];

  append(entry: Omit<CommandLogEntry, 'id'>): CommandLogEntry {
    const row = { ...entry, id: this.rows.length + 1 };
    this.rows.push(row);
    return row;
  }

  recent(query: CommandLogQuery): CommandLogEntry[] {
    return this.rows
      .filter((e) => query.beforeId === undefined || e.id < query.beforeId)
      .filter((e) => query.sinceMs === undefined || e.answeredAtMs >= query.sinceMs)
      .filter((e) => query.siteId === undefined || e.command.target.siteId === query.siteId)
      .filter((e) => query.spaceId === undefined || e.command.target.spaceId === query.spaceId)
      .filter((e) => query.action === undefined || e.command.action === query.action)
      .reverse()
      .slice(0, commandLogLimit(query));
  }
}
