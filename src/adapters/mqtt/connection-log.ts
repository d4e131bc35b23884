import type { Logger } from '../../ports/logger.js';

/** Default: one reminder line every 5 minutes while the broker stays unreachable. */
const REMIND_EVERY_MS = 5 * 60_000;

/**
 * The connection's errors as an operator wants them: a broker outage or a refused login retries
 * every few seconds for as long as it lasts, so only the first error of an outage is a warning
 * (with what to check), a repeat is debug, a reminder with the count comes at most every
 * `remindEveryMs`, and the reconnect says how long it took. Error texts come from MQTT.js and
 * Node's TLS, which never carry the password.
 */
export class ConnectionLog {
  private failures = 0;
  private sinceMs = 0;
  private lastRemindMs = 0;
  private lastError = '';

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly remindEveryMs = REMIND_EVERY_MS,
  ) {}

  /** The last error of the current outage, for other lines about it. */
  get last(): string | undefined {
    return this.failures > 0 ? this.lastError : undefined;
  }

  error(error: Error & { code?: unknown }): void {
    const nowMs = this.now();
    const err = error.message;
    this.failures++;
    if (this.failures === 1) {
      this.sinceMs = nowMs;
      this.lastRemindMs = nowMs;
      this.lastError = err;
      const hint = connectionHint(error);
      this.log.warn({ err, ...(hint ? { hint } : {}) }, 'mqtt error');
      return;
    }
    const changed = err !== this.lastError;
    this.lastError = err;
    if (changed || nowMs - this.lastRemindMs >= this.remindEveryMs) {
      this.lastRemindMs = nowMs;
      this.log.warn(
        { err, errors: this.failures, failingForMs: nowMs - this.sinceMs },
        'mqtt still failing; retrying',
      );
    } else this.log.debug({ err, errors: this.failures }, 'mqtt error');
  }

  /** A connection opened: fields for its log line, saying what it ended. */
  connected(): { errors?: number; failingForMs?: number } {
    if (this.failures === 0) return {};
    const ended = { errors: this.failures, failingForMs: this.now() - this.sinceMs };
    this.failures = 0;
    return ended;
  }
}

/** What to check, for the errors a configuration causes. */
export function connectionHint(error: Error & { code?: unknown }): string | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  // MQTT 3.1.1 return codes 4 and 5, MQTT 5 reason codes 134 and 135.
  if (error.code === 4 || error.code === 5 || error.code === 134 || error.code === 135)
    return 'the broker refused the login: check the variables named by mqtt.usernameEnv and mqtt.passwordEnv';
  if (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  )
    return "the broker's TLS certificate did not verify: check mqtt.tls.caFile and the host name in mqtt.url";
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND')
    return 'the broker is not reachable at mqtt.url; retrying with backoff';
  return undefined;
}
