import type { Alert, AlertKind, AlertRaise } from '../domain/alerts/alert.js';
import type { CommandEnvelope, CommandResponse } from '../domain/commands/envelope.js';

/** Carries out operator commands, whatever their channel (HTTP, MQTT, CLI). Never throws. */
export interface CommandHandler {
  execute(command: CommandEnvelope): Promise<CommandResponse>;
}

/** What services use to report a condition that a person should see. Synchronous and cheap. */
export interface AlertSink {
  raise(alert: AlertRaise): void;
  /** Clears the open alert under this key part, if any. */
  clear(alert: Pick<AlertRaise, 'kind' | 'siteId' | 'spaceId' | 'subject'>): void;
}

export interface AlertQuery {
  readonly siteId?: string;
  readonly spaceId?: string;
  readonly kind?: AlertKind;
  /** Only alerts still open (default), or also those cleared since `sinceMs`. */
  readonly open?: boolean;
  readonly sinceMs?: number;
  readonly limit?: number;
}

export interface AlertReader {
  alerts(query: AlertQuery): Alert[];
}

/** Persisted alert records (SQLite in the service; an in-memory fake in tests). */
export interface AlertStore extends AlertReader {
  /** Inserts or updates the record under its key (an open alert per key at most). */
  upsert(alert: Alert): void;
  /** Every open alert, to restore state after a restart. */
  openAlerts(): Alert[];
}

/** A discard sink, for services run without the alert service (unit tests, benches). */
export const noAlerts: AlertSink = { raise: () => undefined, clear: () => undefined };
