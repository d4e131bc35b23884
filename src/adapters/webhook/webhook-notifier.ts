import type { Alert, AlertSeverity } from '../../domain/alerts/alert.js';
import type { AlertEventKind, AlertNotifier } from '../../ports/alert-notifier.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import { alertWebhookPayload } from './alert-payload.js';

export interface WebhookNotifierOptions {
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` when present. */
  readonly token?: string;
  readonly minSeverity: AlertSeverity;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** Wait before the second attempt; doubled for each further one. Default 2 s. */
  readonly firstBackoffMs?: number;
  /** Queue bound: the oldest waiting push is dropped beyond it (a dead endpoint must not grow memory). */
  readonly maxQueued?: number;
  readonly log: Logger;
  /** Injected for tests; Node's built-in fetch by default. */
  readonly fetch?: typeof fetch;
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** A status worth trying again: the endpoint is busy or broken, not refusing the body. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Pushes each alert change as one JSON POST, one at a time in order, off the caller's path:
 * `notify` only queues. Each POST has a timeout; failures are retried with doubling waits up to
 * `maxAttempts`, then logged and dropped. `stop` ends the waits and abandons what is left.
 */
export class WebhookNotifier implements AlertNotifier, Component {
  readonly name = 'alert-webhook';
  private readonly queue: { event: AlertEventKind; alert: Alert }[] = [];
  private draining: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: WebhookNotifierOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.queue.length > 0)
      this.options.log.warn({ dropped: this.queue.length }, 'alert pushes abandoned at stop');
    this.queue.length = 0;
    await this.draining;
  }

  notify(event: AlertEventKind, alert: Alert): void {
    if (this.stopping.signal.aborted) return;
    if (RANK[alert.severity] < RANK[this.options.minSeverity]) return;
    this.queue.push({ event, alert });
    const max = this.options.maxQueued ?? 100;
    while (this.queue.length > max) {
      const dropped = this.queue.shift();
      this.options.log.warn({ key: dropped?.alert.key }, 'alert push dropped: too many waiting');
    }
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves once everything queued so far has been pushed or given up (for tests and shutdown). */
  async idle(): Promise<void> {
    for (let d = this.draining; d; d = this.draining) await d;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      await this.push(next.event, next.alert);
    }
  }

  private async push(event: AlertEventKind, alert: Alert): Promise<void> {
    const { url, token, timeoutMs, maxAttempts, log } = this.options;
    const body = JSON.stringify(alertWebhookPayload(event, alert));
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let waitMs = this.options.firstBackoffMs ?? 2_000;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.stopping.signal.aborted) return;
      let problem: string;
      let again = true;
      try {
        const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.stopping.signal]);
        const res = await this.fetchFn(url, { method: 'POST', headers, body, signal });
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) {
          log.debug({ key: alert.key, event, attempt }, 'alert pushed');
          return;
        }
        problem = `HTTP ${res.status}`;
        again = retryable(res.status);
      } catch (error) {
        problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (!again || attempt === maxAttempts) {
        log.warn({ key: alert.key, event, attempts: attempt, problem }, 'alert push failed; given up');
        return;
      }
      log.debug({ key: alert.key, attempt, problem, retryInMs: waitMs }, 'alert push failed; retrying');
      await this.wait(waitMs);
      waitMs *= 2;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stopping.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
