import type { SavingsFigureJson } from '../api-shapes.js';

/** A figure as the report shows it: one kind and method; an interval only when the server gave one. */
export type ShownFigure = SavingsFigureJson;

function isWhole(f: SavingsFigureJson): boolean {
  return f.endUse === null;
}

/**
 * The figures of one scope (a community or a space), one per kind and method: the server's own
 * totals when it sent them (no space / no end use); otherwise, per space, its `total` meter alone
 * when it has one (it already holds lighting and hvac), else its end uses added up. Measured and
 * estimated figures, and two methods, are never added together.
 */
export function pickFigures(
  figures: readonly SavingsFigureJson[],
  scope: 'community' | 'space',
): ShownFigure[] {
  let chosen: SavingsFigureJson[] = [...figures];
  if (scope === 'community' && chosen.some((f) => f.spaceId === null))
    chosen = chosen.filter((f) => f.spaceId === null);
  const bySpace = new Map<string, SavingsFigureJson[]>();
  for (const f of chosen) {
    const key = f.spaceId ?? '';
    bySpace.set(key, [...(bySpace.get(key) ?? []), f]);
  }
  chosen = [...bySpace.values()].flatMap((ofSpace) => {
    const wholes = ofSpace.filter(isWhole);
    if (wholes.length > 0) return wholes;
    const totals = ofSpace.filter((f) => f.endUse === 'total');
    return totals.length > 0 ? totals : ofSpace;
  });
  const groups = new Map<string, SavingsFigureJson[]>();
  for (const f of chosen) {
    const key = `${f.kind}/${f.method}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()]
    .map(combine)
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'measured' ? -1 : 1));
}

function combine(group: SavingsFigureJson[]): ShownFigure {
  const [first, ...rest] = group;
  if (!first) throw new Error('empty figure group');
  if (rest.length === 0) return first;
  const sum = (pick: (f: SavingsFigureJson) => number) => group.reduce((s, f) => s + pick(f), 0);
  const baselineKWh = sum((f) => f.baselineKWh);
  const avoidedKWh = sum((f) => f.avoidedKWh);
  return {
    ...first,
    spaceId: group.every((f) => f.spaceId === first.spaceId) ? first.spaceId : null,
    endUse: null,
    hours: Math.max(...group.map((f) => f.hours)),
    baselineKWh,
    actualKWh: sum((f) => f.actualKWh),
    avoidedKWh,
    avoidedShare: baselineKWh > 0 ? avoidedKWh / baselineKWh : 0,
    cost: sum((f) => f.cost),
    co2Kg: sum((f) => f.co2Kg),
    // Intervals of parts do not add up to the interval of the whole.
    interval: null,
    provisional: group.some((f) => f.provisional),
    provenance: [...new Set(group.flatMap((f) => f.provenance))],
    nonRoutine: [...new Set(group.flatMap((f) => f.nonRoutine))],
  };
}
