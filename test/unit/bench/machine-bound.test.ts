import { describe, expect, it } from 'vitest';
import { machineBound } from '../../../bench/ingest/machine-bound.js';

describe('machineBound', () => {
  // The drain runs at 2,000 meters recorded in docs/benchmarks.md (2026-12-05).
  const bare = { ratePerS: 108_342, brokerCores: 0.98, consumerCores: 0.99 };
  const service = { ratePerS: 51_460, brokerCores: 0.53, consumerCores: 1.03 };

  it('prices a reading in CPU time of the broker and the consumer', () => {
    const b = machineBound(bare, service, 2, 0.8);
    expect(b.bareUsPerReading).toBeCloseTo(18.18, 1);
    expect(b.serviceUsPerReading).toBeCloseTo(30.32, 1);
    // 20.0 µs of the service's own thread against 9.1 of the bare subscriber's.
    expect(b.extraUsPerReading).toBeCloseTo(10.88, 1);
  });

  it('bounds the ratio any threading of the same work could reach on the cores there are', () => {
    const two = machineBound(bare, service, 2, 0.8);
    expect(two.mostRatio).toBeCloseTo(0.61, 2);
    // 0.8 of the bare rate on two cores leaves 23.1 µs a reading for broker and consumer together.
    expect(two.targetUsPerReading).toBeCloseTo(23.07, 1);
    const four = machineBound(bare, service, 4, 0.8);
    expect(four.mostRatio).toBeCloseTo(2 * two.mostRatio, 6);
  });
});
