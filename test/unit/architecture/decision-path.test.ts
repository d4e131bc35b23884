import { describe, expect, it } from 'vitest';
import { sourceImports } from './import-graph.js';

const NEXT_VALUE = 'src/domain/control/next-value.ts';
/** The pieces `nextDeviceValue` composes: a caller that used them itself would be a second path. */
const PIECES = ['applySafety', 'plannedValueAt', 'onOccupancyEvent', 'renewDue'];
const CALLERS = /^src\/(services|sim|main|adapters|cli)\//;

describe("a device's next value is decided in one place", () => {
  const edges = sourceImports();

  it('the control service and the savings bench both import nextDeviceValue', () => {
    const importers = edges
      .filter((e) => e.to === NEXT_VALUE && e.names.includes('nextDeviceValue'))
      .map((e) => e.from);
    expect(importers).toContain('src/services/control/dispatcher.ts');
    expect(importers).toContain('src/sim/bench/planner-dispatcher.ts');
  });

  it('no service, bench or adapter composes the plan, presence and safety pieces itself', () => {
    const direct = edges
      .filter((e) => CALLERS.test(e.from))
      .flatMap((e) => e.names.filter((n) => PIECES.includes(n)).map((n) => `${e.from} imports ${n}`));
    expect(direct).toEqual([]);
  });
});
