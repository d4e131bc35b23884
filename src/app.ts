import type { Component } from './ports/component.js';
import type { Logger } from './ports/logger.js';

export interface App {
  start(): Promise<void>;
  /** Stops the started components in reverse order; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts components in order and stops them in reverse, so that nothing is stopped while something
 * started after it still depends on it. No I/O of its own: the composition root hands it components.
 */
export function createApp(components: readonly Component[], log: Logger): App {
  const started: Component[] = [];
  let stopping: Promise<void> | undefined;

  const stopAll = async (): Promise<void> => {
    while (started.length > 0) {
      const component = started.pop();
      if (!component) break;
      try {
        await component.stop();
        log.debug({ component: component.name }, 'stopped');
      } catch (error) {
        // Keep stopping the rest: a failing stop must not leave later components half-open.
        log.error({ component: component.name, err: error }, 'stop failed');
      }
    }
  };

  return {
    async start() {
      for (const component of components) {
        try {
          await component.start();
        } catch (error) {
          await stopAll();
          throw error;
        }
        started.push(component);
        log.debug({ component: component.name }, 'started');
      }
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
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
