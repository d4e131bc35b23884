import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { MemoryBus } from '../../adapters/memory-bus/memory-bus.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import { learnThermalRates } from '../../domain/planning/learn.js';
import type { Tariff } from '../../domain/tariff/types.js';
import type { SetpointAuditEntry } from '../../ports/stores.js';
import { advanceClosedLoop } from '../closed-loop.js';
import { type ControllerStats, SimulatedControllers } from '../controllers/simulated-controllers.js';
import { encodeSensorReading } from '../encode/sensor-payload.js';
import { buildCommunityModel } from '../model/build.js';
import { type CommunityState, initialState } from '../model/state.js';
import type { WeatherEpisode } from '../model/weather-episode.js';
import { AlertRecorder, type RecordedAlert } from './alert-recorder.js';
import { checkPublished, nativeContexts, outOfBounds } from './bounds-check.js';
import { CapacityRecorder, type DesignHour, type DesignMode } from './capacity-recorder.js';
import { MetricsRecorder, type RunMetrics } from './metrics.js';
import { type DispatcherStats, PlannerDispatcher } from './planner-dispatcher.js';
import type { PredictionErrorStats } from './prediction-errors.js';
import { ServiceArm } from './service-arm.js';
import { ThermalSampler } from './thermal-samples.js';

/**
 * `fixed`: today's schedules. `quietwatt`: QuietWatt's control service and sensor service (the real
 * services). `core`: the same planner and safety layer driven directly, without the services.
 */
export type Arm = 'fixed' | 'quietwatt' | 'core';

export interface ArmOptions {
  readonly config: QuietWattConfig;
  readonly arm: Arm;
  readonly tariff: Tariff;
  /** First instant measured. */
  readonly startMs: number;
  readonly days: number;
  /** Days before the start run on the fixed schedules, in both arms: what QuietWatt learns from. */
  readonly learnDays: number;
  /** Called after each simulated hour with the hours done. */
  readonly onProgress?: (hoursDone: number) => void;
  /** Sees every measured step (to trace where a figure comes from). */
  readonly onStep?: (before: CommunityState, after: CommunityState) => void;
  /** A heat wave or cold snap over the seeded weather (the extreme scenarios). */
  readonly episode?: WeatherEpisode;
  /** Measure each conditioned space's design hour in this mode (the extreme scenarios). */
  readonly designMode?: DesignMode;
  /** Receives the setpoint audit log of the measured period (services arm only), before it is closed. */
  readonly onAudit?: (entries: readonly SetpointAuditEntry[]) => void;
  /** The services arm's HVAC planner: the linear program (the service's default) or the rules alone. */
  readonly planner?: 'predictive' | 'rules';
}

export interface ArmResult {
  readonly metrics: RunMetrics;
  readonly controllers: ControllerStats;
  readonly dispatcher?: DispatcherStats;
  /** Values the QuietWatt arm published outside their bounds (should be none), with the first few. */
  readonly outOfBounds: number;
  readonly outOfBoundsExamples: readonly string[];
  /** Per conditioned space, the hottest (coldest) hour its units ran and the share of capacity used. */
  readonly designHours?: readonly DesignHour[];
  /** The measured period's hottest (heat) or coldest (cold) hourly mean outdoor temperature, °C. */
  readonly extremeOutdoorC?: number;
  /** Alerts the control service raised in the measured period (services arm only). */
  readonly alerts?: readonly RecordedAlert[];
  /** The thermal model's 24-hour indoor temperature prediction error per space (services arm only). */
  readonly predictionErrors?: readonly PredictionErrorStats[];
  /** The outdoor forecast's error per site (services arm only). */
  readonly outdoorForecastErrors?: ReturnType<ServiceArm['outdoorForecastErrors']>;
}

const STEP_MS = 60_000;

/**
 * One arm of the savings bench: the simulated community with its controllers in the loop, on an
 * in-process bus and a manual clock, at full speed. The learning period runs the fixed schedules in
 * both arms (QuietWatt listens only); the measured period runs them (`fixed`) or QuietWatt in active
 * mode (`quietwatt`). Weather, people and resident overrides are the same in both arms.
 */
export async function runArm(o: ArmOptions): Promise<ArmResult> {
  const config = o.config;
  const model = buildCommunityModel(config, o.episode ? { episode: o.episode } : {});
  if (model.stepMs !== STEP_MS)
    throw new Error(`the bench runs one-minute steps (simulator.stepSeconds is ${model.stepMs / 1000})`);
  const learnStart = o.startMs - o.learnDays * 86_400_000;
  const endMs = o.startMs + o.days * 86_400_000;
  const clock = new ManualClock(learnStart);
  const bus = new MemoryBus(clock);
  const controllers = new SimulatedControllers(config, model);
  const decoder = new TextDecoder();
  const contexts = nativeContexts(config);
  let outOfBoundsCount = 0;
  const examples: string[] = [];
  await bus.subscribe(controllers.topics(), (m) =>
    controllers.onMessage(m.topic, decoder.decode(m.payload), clock.now()),
  );
  let state = advanceClosedLoop(
    model,
    initialState(model, learnStart - config.simulator.burnInHours * 3_600_000),
    controllers,
    learnStart,
    false,
  ).state;
  const alerts = new AlertRecorder(clock);
  const service =
    o.arm === 'quietwatt'
      ? new ServiceArm(
          config,
          bus,
          clock,
          (topic, payload) => {
            const problem = checkPublished(contexts, topic, payload);
            if (problem === undefined) return;
            outOfBoundsCount++;
            if (examples.length < 5) examples.push(problem);
          },
          alerts,
          { planner: o.planner ?? 'predictive' },
        )
      : undefined;
  await service?.listen();
  const dispatcher =
    o.arm === 'core'
      ? new PlannerDispatcher(config, bus, clock, o.tariff, (ctx, value) => {
          const problem = outOfBounds(ctx, value);
          if (problem === undefined) return;
          outOfBoundsCount++;
          if (examples.length < 5) examples.push(problem);
        })
      : undefined;
  await dispatcher?.start();
  const sampler = new ThermalSampler(model);
  const metrics = new MetricsRecorder(model, config.control, o.tariff, (id, t) =>
    controllers.underManualControl(id, t),
  );
  const capacity = o.designMode ? new CapacityRecorder(model, o.designMode) : undefined;
  let measuring = false;
  const observe = (before: typeof state, after: typeof state) => {
    if (measuring) {
      metrics.observe(before, after);
      capacity?.observe(before, after);
      o.onStep?.(before, after);
    } else sampler.observe(before, after);
  };
  for (let t = learnStart; t < endMs; t += STEP_MS) {
    if (t === o.startMs) {
      measuring = true;
      if (dispatcher) {
        for (const [key, samples] of sampler.samples())
          dispatcher.setRates(key, learnThermalRates(samples).rates);
        // Commissioning measures what the lights give at full output in the dark.
        for (const site of model.sites)
          for (const sp of site.spaces) dispatcher.setFullOutputLux(sp.key, sp.params.designLux);
        dispatcher.active = true;
        // QuietWatt is in charge from the first measured step.
        dispatcher.tick(t);
      }
      await service?.activate();
    }
    const r = advanceClosedLoop(model, state, controllers, t + STEP_MS, true, observe);
    state = r.state;
    clock.set(t + STEP_MS);
    for (const rep of r.reports) void bus.publish(rep.topic, rep.payload, { qos: 1, retain: false });
    // Meters only feed the service's ledger and staleness checks, which the bench leaves out.
    for (const out of r.outputs)
      if (out.kind === 'sensor') void bus.publish(out.topic, encodeSensorReading(out), { qos: 0 });
    dispatcher?.tick(t + STEP_MS);
    await service?.advanceTo(t + STEP_MS);
    if ((t + STEP_MS) % 3_600_000 === 0) {
      o.onProgress?.((t + STEP_MS - learnStart) / 3_600_000);
      if ((t + STEP_MS) % 86_400_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const serviceStats = service?.stats();
  const predictionErrors = service?.predictionErrors();
  const outdoorForecastErrors = service?.outdoorForecastErrors();
  if (service && o.onAudit) o.onAudit(service.audit(o.startMs));
  await service?.stop();
  return {
    metrics: metrics.finish(),
    ...(serviceStats
      ? {
          dispatcher: {
            plans: 0,
            published: serviceStats.published,
            raises: 0,
            acknowledged: serviceStats.acknowledged,
            overridesSeen: serviceStats.overridesSeen,
            outOfBounds: 0,
          },
        }
      : {}),
    controllers: controllers.stats(),
    ...(dispatcher ? { dispatcher: dispatcher.stats } : {}),
    outOfBounds: outOfBoundsCount,
    outOfBoundsExamples: examples,
    ...(capacity ? { designHours: capacity.finish(), extremeOutdoorC: capacity.extremeOutdoorC() } : {}),
    ...(service ? { alerts: alerts.alerts.filter((a) => a.raisedMs >= o.startMs) } : {}),
    ...(predictionErrors ? { predictionErrors } : {}),
    ...(outdoorForecastErrors ? { outdoorForecastErrors } : {}),
  };
}
