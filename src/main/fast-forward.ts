/**
 * The demo's fast forward: on a first start with an empty store, the accelerated clock first replays
 * `clock.fastForward.days` of simulated time ending now, as fast as the machine allows (shadow mode
 * first, then the configured modes by the same switch a reload makes), then runs at `clock.speed`.
 * Every figure it leaves behind comes from the ordinary services: the simulator publishes over MQTT,
 * ingest, forecasts, control and the savings ledger run their usual jobs on the way.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../adapters/scheduler/simulated-scheduler.js';
import { WarmupDriver } from '../adapters/scheduler/warmup-driver.js';
import type { QuietWattConfig } from '../config/schema/index.js';
import type { Logger } from '../ports/logger.js';

const DAY_MS = 86_400_000;

/** What the replay left to show, asked when it ends (set once the savings view exists). */
export interface ReplayOutcome {
  /** A measured figure with its interval in words, or undefined when there is none yet. */
  measured?: () => string | undefined;
  /** Alerts raised during the replay and open at its end; ends their quiet logging. */
  alerts?: () => { readonly raised: number; readonly open: number };
}

export interface FastForwardBase {
  readonly clock: ManualClock;
  readonly scheduler: SimulatedScheduler;
  readonly driver: WarmupDriver;
  readonly describe: string;
  readonly outcome: ReplayOutcome;
}

/** The replay's clock and driver, or undefined when there is nothing to replay (a restart, or none configured). */
export function fastForwardBase(
  config: Readonly<QuietWattConfig>,
  savedSimulatedMs: number,
  realNow: () => number,
  log: Logger,
): FastForwardBase | undefined {
  const ff = config.clock.fastForward;
  if (config.clock.source !== 'accelerated' || !ff || Number.isFinite(savedSimulatedMs)) return undefined;
  const endMs = config.clock.start ? Date.parse(config.clock.start) : realNow();
  // Whole local hours keep the replay's steps on the quarter-hour grid of the jobs.
  const startMs = Math.floor((endMs - ff.days * DAY_MS) / 3_600_000) * 3_600_000;
  const clock = new ManualClock(startMs);
  const scheduler = new SimulatedScheduler(clock, log.child({ component: 'scheduler' }));
  const clockLog = log.child({ component: 'clock' });
  const driver = new WarmupDriver(
    {
      untilMs: endMs,
      ...(ff.shadowDays > 0 ? { activateAtMs: startMs + ff.shadowDays * DAY_MS } : {}),
      stepMs: ff.stepMinutes * 60_000,
      speed: config.clock.speed,
    },
    clock,
    scheduler,
    clockLog,
    realNow,
  );
  // The replay must leave the event loop free for MQTT and requests: its delay is measured and logged.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (ns: number) => Math.round(ns / 1e6);
  const outcome: ReplayOutcome = {};
  driver.onDone = (realMs) => {
    delay.disable();
    const seconds = Math.round(realMs / 1000);
    const measured = outcome.measured?.();
    const alerts = outcome.alerts?.();
    const alertWords = alerts
      ? `; ${alerts.raised} alert${alerts.raised === 1 ? '' : 's'} raised in the replayed days, ${alerts.open} open (the dashboard lists them)`
      : '';
    clockLog.info(
      {
        days: ff.days,
        seconds,
        measured: measured ?? null,
        ...(alerts ? { alertsRaised: alerts.raised, alertsOpen: alerts.open } : {}),
        eventLoopDelayMs: {
          p50: ms(delay.percentile(50)),
          p99: ms(delay.percentile(99)),
          max: ms(delay.max),
        },
      },
      `replayed ${ff.days} days in ${seconds} s; ${measured ? `measured savings available: ${measured}` : 'no measured savings figure yet'}${alertWords}; time now runs at x${config.clock.speed}`,
    );
  };
  return {
    clock,
    scheduler,
    driver,
    outcome,
    describe: `accelerated: replaying ${ff.days} days (${ff.shadowDays} in shadow mode) from ${new Date(startMs).toISOString()} as fast as possible, then x${config.clock.speed}`,
  };
}

/** The config with every space in shadow mode, for the replay's first days. */
export function inShadow(config: Readonly<QuietWattConfig>): Readonly<QuietWattConfig> {
  return { ...config, control: { ...config.control, defaultMode: 'shadow', spaces: [] } };
}
