import type { Component } from './ports/component.js';
import type { Logger } from './ports/logger.js';

export interface App {
  /**
   * Starts the components in order. When `signal` aborts meanwhile, the one starting is not waited
   * for: it and those started before it are stopped in reverse, and start rejects with StartAborted.
   */
  start(signal?: AbortSignal): Promise<void>;
  /** Stops the started components in reverse order; safe to call more than once. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** The longest one component's stop is waited for before the next one is stopped. */
  readonly stopDeadlineMs?: number;
  /** The longest all stops together are waited for; past it each remaining stop gets `lateStopMs`. */
  readonly stopBudgetMs?: number;
  readonly lateStopMs?: number;
}

/** A start interrupted by a stop request: what had started has been stopped. */
export class StartAborted extends Error {
  constructor() {
    super('start interrupted by a stop request');
    this.name = 'StartAborted';
  }
}

const STOP_DEADLINE_MS = 3_000;
const STOP_BUDGET_MS = 6_000;
const LATE_STOP_MS = 250;

/**
 * Starts components in order and stops them in reverse, so that nothing is stopped while something
 * started after it still depends on it. A stop that hangs (a publish waiting for a broker that is
 * down) is given up on after its deadline, so the whole stop is bounded. No I/O of its own: the
 * composition root hands it components.
 */
export function createApp(components: readonly Component[], log: Logger, options: AppOptions = {}): App {
  const deadlineMs = options.stopDeadlineMs ?? STOP_DEADLINE_MS;
  const budgetMs = options.stopBudgetMs ?? STOP_BUDGET_MS;
  const lateMs = options.lateStopMs ?? LATE_STOP_MS;
  const started: Component[] = [];
  let stopping: Promise<void> | undefined;

  const stopAll = async (): Promise<void> => {
    const endBy = Date.now() + budgetMs;
    while (started.length > 0) {
      const component = started.pop();
      if (!component) break;
      const waitMs = Math.max(lateMs, Math.min(deadlineMs, endBy - Date.now()));
      try {
        const done = await withinDeadline(component.stop(), waitMs);
        if (done) log.debug({ component: component.name }, 'stopped');
        else log.warn({ component: component.name, waitedMs: waitMs }, 'stop took too long; carrying on');
      } catch (error) {
        // Keep stopping the rest: a failing stop must not leave later components half-open.
        log.error({ component: component.name, err: error }, 'stop failed');
      }
    }
  };

  return {
    async start(signal) {
      for (const component of components) {
        if (signal?.aborted && started.length > 0) break;
        const starting = component.start();
        // Handled here as well: a start left running after a stop request may still fail.
        starting.catch(() => undefined);
        let outcome: 'started' | 'aborted';
        try {
          outcome = await untilAborted(starting, signal);
        } catch (error) {
          await stopAll();
          throw error;
        }
        if (outcome === 'aborted') {
          // Let the one starting finish (most take moments), so that its stop does not run beside its
          // start; one that hangs (waiting for a broker) is stopped anyway after the stop deadline.
          const settled = await withinDeadline(starting, deadlineMs).then(
            (done) => (done ? 'started' : 'hung'),
            () => 'failed',
          );
          if (settled === 'hung')
            log.warn({ component: component.name, waitedMs: deadlineMs }, 'still starting; stopping it');
          if (settled !== 'failed') started.push(component);
          break;
        }
        started.push(component);
        log.debug({ component: component.name }, 'started');
      }
      if (signal?.aborted) {
        log.info({ started: started.length, of: components.length }, 'start interrupted; stopping');
        stopping ??= stopAll();
        await stopping;
        throw new StartAborted();
      }
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

/** Whether the promise settled within `ms` (its rejection is rethrown). */
async function withinDeadline(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** 'started' once the promise resolves, or 'aborted' as soon as the signal aborts, whichever first. */
async function untilAborted(
  promise: Promise<void>,
  signal: AbortSignal | undefined,
): Promise<'started' | 'aborted'> {
  if (!signal) {
    await promise;
    return 'started';
  }
  if (signal.aborted) return 'aborted';
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise.then(() => 'started' as const), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** A component made of two functions, for small pieces of the composition root. */
export function component(
  name: string,
  start: () => Promise<void> | void,
  stop: () => Promise<void> | void,
): Component {
  return {
    name,
    start: async () => {
      await start();
    },
    stop: async () => {
      await stop();
    },
  };
}
