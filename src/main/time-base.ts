import { AcceleratedClock } from '../adapters/clock/accelerated-clock.js';
import { ManualClock } from '../adapters/clock/manual-clock.js';
import { refuseStoreAheadOfClock } from '../adapters/clock/store-time-guard.js';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { AcceleratedDriver } from '../adapters/scheduler/accelerated-driver.js';
import { CronScheduler } from '../adapters/scheduler/cron-scheduler.js';
import { LockstepDriver } from '../adapters/scheduler/lockstep-driver.js';
import { SimulatedScheduler } from '../adapters/scheduler/simulated-scheduler.js';
import type { WarmupDriver } from '../adapters/scheduler/warmup-driver.js';
import { newestStoredDataMs } from '../adapters/sqlite/newest-data.js';
import type { SqliteStorage } from '../adapters/sqlite/storage.js';
import { component } from '../app.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Clock } from '../ports/clock.js';
import type { Component } from '../ports/component.js';
import type { Logger } from '../ports/logger.js';
import type { MessageBus } from '../ports/message-bus.js';
import type { Scheduler } from '../ports/scheduler.js';
import type { KeyValueStore } from '../ports/stores.js';
import { fastForwardBase, type ReplayOutcome } from './fast-forward.js';

/** Key under which accelerated time is kept, so a restarted demo continues where it stopped. */
const SIMULATED_TIME_KEY = 'clock.simulatedMs';

/** The service's clock and scheduler, and what drives them when time is simulated. */
export interface TimeBase {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** What drives simulated time, given the service's bus (the lockstep clock listens on it). */
  readonly components: (bus: MessageBus) => Component[];
  readonly describe: string;
  /** The demo's replay driver, when this start replays simulated weeks first. */
  readonly fastForward?: WarmupDriver;
  readonly replayOutcome?: ReplayOutcome;
}

/**
 * The time base, once the store is known to fit it: under the lockstep clock a store with data
 * after `clock.start` is refused (the store is closed again before the error leaves).
 */
export function timeBaseOverStore(
  config: Readonly<QuietWattConfig>,
  storage: SqliteStorage,
  storageDir: string,
  realNow: () => number,
  log: Logger,
): TimeBase {
  const savedSimulatedMs = storage.stores.settings.get(SIMULATED_TIME_KEY);
  try {
    if (config.clock.source === 'mqtt') {
      const saved = Number(savedSimulatedMs);
      const newest = newestStoredDataMs(storage.database.db);
      refuseStoreAheadOfClock({
        clockStartMs: mqttClockStartMs(config, realNow),
        newestStoredMs: Number.isFinite(saved) ? Math.max(saved, newest ?? saved) : newest,
        storageDir,
      });
    }
    return buildTimeBase(config, savedSimulatedMs, realNow, log);
  } catch (error) {
    storage.database.close();
    throw error;
  }
}

/**
 * What runs simulated time (the lockstep or accelerated driver) and, under accelerated time, the
 * job that keeps the simulated time, every 15 simulated minutes and at stop.
 */
export function timeComponents(time: TimeBase, bus: MessageBus, settings: KeyValueStore): Component[] {
  const components: Component[] = [];
  if (time.clock instanceof ManualClock) {
    const clock = time.clock;
    const saveTime = () => settings.set(SIMULATED_TIME_KEY, String(clock.now()));
    time.scheduler.schedule('save-simulated-time', { everyMinutes: 15 }, saveTime);
    components.push(component('simulated-time', () => undefined, saveTime));
  }
  components.push(...time.components(bus));
  return components;
}

/** The schema requires a start for the lockstep clock: the bench's time, not the wall clock's. */
function mqttClockStartMs(config: Readonly<QuietWattConfig>, realNow: () => number): number {
  return config.clock.start ? Date.parse(config.clock.start) : realNow();
}

function buildTimeBase(
  config: Readonly<QuietWattConfig>,
  savedSimulatedMs: string | undefined,
  realNow: () => number,
  log: Logger,
): TimeBase {
  if (config.clock.source === 'system') {
    return {
      clock: new SystemClock(),
      scheduler: new CronScheduler(log.child({ component: 'scheduler' })),
      components: () => [],
      describe: 'wall-clock time',
    };
  }
  if (config.clock.source === 'mqtt') {
    const topic = config.clock.topic ?? `${config.mqtt.topicPrefix}/clock`;
    const clock = new ManualClock(mqttClockStartMs(config, realNow));
    const scheduler = new SimulatedScheduler(clock, log.child({ component: 'scheduler' }));
    return {
      clock,
      scheduler,
      components: (bus) => [
        new LockstepDriver(topic, bus, scheduler, clock, log.child({ component: 'clock' })),
      ],
      describe: `lockstep, following time steps on ${topic} (acknowledged on ${topic}/ack)`,
    };
  }
  // Accelerated: continue from where the last run stopped, so stored data never runs ahead of the clock.
  const configuredStart = config.clock.start ? Date.parse(config.clock.start) : realNow();
  const saved = savedSimulatedMs === undefined ? Number.NaN : Number(savedSimulatedMs);
  const ff = fastForwardBase(config, saved, realNow, log);
  if (ff) return { ...ff, components: () => [ff.driver], fastForward: ff.driver, replayOutcome: ff.outcome };
  const startMs = Number.isFinite(saved) ? Math.max(saved, configuredStart) : configuredStart;
  const clock = new ManualClock(startMs);
  const scheduler = new SimulatedScheduler(clock, log.child({ component: 'scheduler' }));
  const driver = new AcceleratedDriver(
    new AcceleratedClock(startMs, config.clock.speed, realNow),
    scheduler,
    log.child({ component: 'clock' }),
  );
  return {
    clock,
    scheduler,
    components: () => [driver],
    describe: `accelerated x${config.clock.speed} (simulated time from ${new Date(startMs).toISOString()})`,
  };
}
