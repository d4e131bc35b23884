import {
  type CommandLogEntry,
  type CommandLogQuery,
  type CommandLogStore,
  commandLogLimit,
} from '../../../src/ports/command-log.js';

/** The site (and space) filters, which service-wide entries bypass when asked to. */
function siteMatches(e: CommandLogEntry, query: CommandLogQuery): boolean {
  const t = e.command.target;
  return (
    (query.siteId === undefined || t.siteId === query.siteId) &&
    (query.spaceId === undefined || t.spaceId === query.spaceId)
  );
}

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
      .filter(
        (e) =>
          (query.withServiceWide === true && e.command.target.siteId === undefined) || siteMatches(e, query),
      )
      .filter((e) => query.action === undefined || e.command.action === query.action)
      .reverse()
      .slice(0, commandLogLimit(query));
  }
}
