/**
 * Applying an accepted config file to the running services, all or nothing:
 *
 * - a change to a restart-only field (src/config/restart-required.ts) is refused with its reason;
 * - otherwise every service takes the new config in turn, and "config reloaded" is logged only
 *   once all have;
 * - when one fails, the services that took it (and the one that failed) are handed the running
 *   config back, and the reload is reported as refused with the service and the error; a service
 *   that cannot be handed it back is named, as still running the new config.
 *
 * Refusals go where a config file with errors goes (logged, the refused-reload record and its
 * alert). Reloads run one at a time, in the order the watcher saw them.
 */
import type { ConfigErrorCode } from '../config/errors.js';
import {
  RESTART_REQUIRED_CODE,
  type RestartRequiredChange,
  restartRequiredChanges,
} from '../config/restart-required.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Logger } from '../ports/logger.js';

export const RELOAD_FAILED_CODE: ConfigErrorCode = 'QW_CONFIG_RELOAD_FAILED';

/** One service's share of a reload. */
export interface ReloadStep {
  readonly name: string;
  apply(config: Readonly<QuietWattConfig>): Promise<void> | void;
}

export interface ReloadError {
  readonly code: string;
  readonly message: string;
}

export type ReloadOutcome =
  | { readonly kind: 'applied'; readonly services: readonly string[] }
  | { readonly kind: 'restart-required'; readonly changes: readonly RestartRequiredChange[] }
  | {
      readonly kind: 'failed';
      readonly service: string;
      readonly error: unknown;
      /** Services still on the new config because handing the old one back failed too. */
      readonly stillNew: readonly string[];
    };

export interface ReloaderDeps {
  readonly file: string;
  readonly steps: readonly ReloadStep[];
  /** The config in force. */
  readonly running: () => Readonly<QuietWattConfig>;
  /** Makes a config the one in force (read by modes, views and the API). */
  readonly commit: (config: Readonly<QuietWattConfig>) => void;
  readonly log: Logger;
  readonly reloads: {
    refused(errors: readonly ReloadError[], running?: 'kept' | 'mixed'): void;
    accepted(): void;
  };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class ConfigReloader {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReloaderDeps) {}

  /** Queues a reload behind any in progress; resolves with what became of it. */
  reload(next: Readonly<QuietWattConfig>): Promise<ReloadOutcome> {
    const run = this.chain.then(() => this.reloadNow(next));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(next: Readonly<QuietWattConfig>): Promise<ReloadOutcome> {
    const { file, log } = this.deps;
    const previous = this.deps.running();
    const changes = restartRequiredChanges(previous, next);
    if (changes.length > 0) {
      const errors = changes.map((c) => ({
        code: RESTART_REQUIRED_CODE,
        message: `${file}: ${c.path}: changing it needs a restart (${c.reason})`,
      }));
      for (const e of errors) log.warn({ code: e.code }, e.message);
      log.warn({ file }, 'config change refused: it needs a restart; the running config stays');
      this.deps.reloads.refused(errors);
      return { kind: 'restart-required', changes };
    }

    // In force first: the modes and views that services read while reconfiguring see the new file.
    this.deps.commit(next);
    const took: ReloadStep[] = [];
    for (const step of this.deps.steps) {
      try {
        await step.apply(next);
        took.push(step);
      } catch (error) {
        return this.rollBack(step, error, took, previous);
      }
    }
    this.deps.reloads.accepted();
    const services = took.map((s) => s.name);
    log.info({ file, services }, 'config reloaded');
    return { kind: 'applied', services };
  }

  private async rollBack(
    failed: ReloadStep,
    error: unknown,
    took: readonly ReloadStep[],
    previous: Readonly<QuietWattConfig>,
  ): Promise<ReloadOutcome> {
    const { file, log } = this.deps;
    this.deps.commit(previous);
    const stillNew: string[] = [];
    // Latest first, the failed service too: it may have taken part of the change before it threw.
    for (const step of [failed, ...[...took].reverse()]) {
      try {
        await step.apply(previous);
      } catch (rollbackError) {
        stillNew.push(step.name);
        log.error({ err: rollbackError, service: step.name }, 'handing back the running config failed');
      }
    }
    const back = stillNew.length === 0;
    const message = back
      ? `${file}: the ${failed.name} service could not take the change (${messageOf(error)}); every service runs the previous config`
      : `${file}: the ${failed.name} service could not take the change (${messageOf(error)}); ${stillNew.join(', ')} could not be handed the previous config back and still run the new one: restart the service`;
    log.error({ err: error, service: failed.name, file, stillNew }, `config reload failed: ${message}`);
    this.deps.reloads.refused([{ code: RELOAD_FAILED_CODE, message }], back ? 'kept' : 'mixed');
    return { kind: 'failed', service: failed.name, error, stillNew };
  }
}
