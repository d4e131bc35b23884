/**
 * Picks what a card shows from the API's figures, one per kind and method: measured (active control)
 * and estimated (shadow: "would have saved") are kept apart and never summed. The server's own
 * totals (no space, no end use) are used when sent; otherwise per space its `total` meter alone when
 * it has one (it already holds lighting and hvac), else its end uses added up. Same rule as the
 * report page (src/adapters/http/pages/figures.ts).
 */
export function groupFigures(figures, { spaceLevel = false } = {}) {
  let chosen = figures;
  if (!spaceLevel && chosen.some((f) => f.spaceId === null))
    chosen = chosen.filter((f) => f.spaceId === null);
  const bySpace = new Map();
  for (const f of chosen) bySpace.set(f.spaceId ?? '', [...(bySpace.get(f.spaceId ?? '') ?? []), f]);
  chosen = [...bySpace.values()].flatMap((ofSpace) => {
    const wholes = ofSpace.filter((f) => f.endUse === null);
    if (wholes.length > 0) return wholes;
    const totals = ofSpace.filter((f) => f.endUse === 'total');
    return totals.length > 0 ? totals : ofSpace;
  });
  const groups = new Map();
  for (const f of chosen) {
    const key = `${f.kind}/${f.method}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map(combine);
}

/** A group of one figure keeps its interval; parts added up have none (their intervals do not add). */
function combine(group) {
  const [first, ...rest] = group;
  if (rest.length === 0) return first;
  const sum = (k) => group.reduce((s, f) => s + f[k], 0);
  const baselineKWh = sum('baselineKWh');
  const avoidedKWh = sum('avoidedKWh');
  return {
    ...first,
    endUse: null,
    baselineKWh,
    actualKWh: sum('actualKWh'),
    avoidedKWh,
    avoidedShare: baselineKWh > 0 ? avoidedKWh / baselineKWh : 0,
    cost: sum('cost'),
    co2Kg: sum('co2Kg'),
    interval: null,
    provisional: group.some((f) => f.provisional),
    nonRoutine: [...new Set(group.flatMap((f) => f.nonRoutine))],
    provenance: [...new Set(group.flatMap((f) => f.provenance))],
  };
}
