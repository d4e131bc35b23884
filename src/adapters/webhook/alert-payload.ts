import type { Alert } from '../../domain/alerts/alert.js';
import type { AlertEventKind } from '../../ports/alert-notifier.js';

/**
 * The JSON body POSTed per alert change. `msgtype` and `text.content` are the shape the WeCom and
 * DingTalk group robots accept as is; `event` and `alert` carry the record for anything else (a mail
 * relay, a ticketing system). Documented in docs/mqtt-contract.md (Alerts).
 */
export interface AlertWebhookPayload {
  readonly msgtype: 'text';
  readonly text: { readonly content: string };
  readonly source: 'quietwatt';
  readonly event: AlertEventKind;
  readonly alert: {
    readonly key: string;
    readonly kind: string;
    readonly severity: string;
    readonly siteId: string | null;
    readonly spaceId: string | null;
    readonly message: string;
    readonly since: string;
    readonly clearedAt: string | null;
  };
}

export function alertWebhookPayload(event: AlertEventKind, alert: Alert): AlertWebhookPayload {
  const where = [alert.siteId, alert.spaceId].filter((x) => x !== null).join('/') || 'service';
  const head = event === 'raised' ? alert.severity.toUpperCase() : 'CLEARED';
  return {
    msgtype: 'text',
    text: { content: `[QuietWatt] ${head} ${where}: ${alert.message}` },
    source: 'quietwatt',
    event,
    alert: {
      key: alert.key,
      kind: alert.kind,
      severity: alert.severity,
      siteId: alert.siteId,
      spaceId: alert.spaceId,
      message: alert.message,
      since: new Date(alert.sinceMs).toISOString(),
      clearedAt: alert.clearedAtMs === null ? null : new Date(alert.clearedAtMs).toISOString(),
    },
  };
}
