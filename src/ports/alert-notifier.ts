import type { Alert } from '../domain/alerts/alert.js';

export type AlertEventKind = 'raised' | 'cleared';

/** Pushes alert changes somewhere a person sees them (a webhook). Must return at once and never throw. */
export interface AlertNotifier {
  notify(event: AlertEventKind, alert: Alert): void;
}
