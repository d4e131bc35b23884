import { describe, expect, it } from 'vitest';
import { aggregateBySpace } from '../../../src/domain/ingest/aggregate.js';
import type { IntervalRow } from '../../../src/ports/stores.js';

const H = Date.parse('2024-06-01T10:00:00Z');

function row(
  meterId: string,
  spaceId: string,
  endUse: IntervalRow['endUse'],
  energy: number | null,
  coverage: number,
) {
  return {
    meterId,
    siteId: 's1',
    spaceId,
    endUse,
    minutes: 15,
    startMs: H,
    energyKWh: energy,
    coverage,
    missing: energy === null,
  } satisfies IntervalRow;
}

describe('aggregation per space and end use', () => {
  it('sums meters of the same space and end use, keeps end uses and spaces apart', () => {
    const out = aggregateBySpace([
      row('a', 'lobby', 'lighting', 1, 1),
      row('b', 'lobby', 'lighting', 2, 0.5),
      row('c', 'lobby', 'hvac', 4, 1),
      row('d', 'garage', 'lighting', 8, 1),
    ]);
    expect(out.map((r) => [r.spaceId, r.endUse, r.energyKWh, r.coverage, r.meterCount])).toEqual([
      ['garage', 'lighting', 8, 1, 1],
      ['lobby', 'hvac', 4, 1, 1],
      ['lobby', 'lighting', 3, 0.5, 2],
    ]);
  });

  it('a group with a missing meter is missing, not a smaller number', () => {
    const [only] = aggregateBySpace([row('a', 'lobby', 'total', 1, 1), row('b', 'lobby', 'total', null, 0)]);
    expect(only).toMatchObject({ energyKWh: null, missing: true, coverage: 0, meterCount: 2 });
  });
});
