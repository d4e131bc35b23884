/**
 * What the machine allows a consumer that does more than count: from a drain run's rate and the
 * CPU its broker and consumer used, the CPU time each reading costs the machine, and the most a
 * consumer with that cost could drain if it kept every core busy (perfectly parallel). Against the
 * bare subscriber's rate, that is the highest ratio any threading of the same work could reach here.
 */
export interface DrainCpu {
  readonly ratePerS: number;
  readonly brokerCores: number;
  readonly consumerCores: number;
}

export interface MachineBound {
  /** Broker and consumer CPU per reading, µs. */
  readonly bareUsPerReading: number;
  readonly serviceUsPerReading: number;
  /** The service consumer's CPU per reading beyond the bare subscriber's, µs. */
  readonly extraUsPerReading: number;
  /** The highest ratio the service's work per reading allows on `cores` cores. */
  readonly mostRatio: number;
  /** Broker and consumer CPU per reading at which `targetRatio` becomes possible on `cores` cores, µs. */
  readonly targetUsPerReading: number;
}

function usPerReading(run: DrainCpu): number {
  return ((run.brokerCores + run.consumerCores) * 1e6) / run.ratePerS;
}

export function machineBound(
  bare: DrainCpu,
  service: DrainCpu,
  cores: number,
  targetRatio: number,
): MachineBound {
  const serviceUs = usPerReading(service);
  return {
    bareUsPerReading: usPerReading(bare),
    serviceUsPerReading: serviceUs,
    extraUsPerReading:
      (service.consumerCores * 1e6) / service.ratePerS - (bare.consumerCores * 1e6) / bare.ratePerS,
    mostRatio: (cores * 1e6) / serviceUs / bare.ratePerS,
    targetUsPerReading: (cores * 1e6) / (targetRatio * bare.ratePerS),
  };
}
