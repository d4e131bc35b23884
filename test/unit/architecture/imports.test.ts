import { describe, expect, it } from 'vitest';
import { type ImportEdge, serviceFolderOf, sourceImports } from './import-graph.js';

function arrow(e: ImportEdge): string {
  return `${e.from} -> ${e.to}`;
}

describe('import directions in src/', () => {
  const edges = sourceImports();

  it('reads the imports (the rules below are not vacuous)', () => {
    expect(edges.length).toBeGreaterThan(500);
    const portsToDomain = edges.find(
      (e) => e.from === 'src/ports/stores.ts' && e.to === 'src/domain/ingest/interval-row.ts',
    );
    expect(portsToDomain?.typeOnly).toBe(true);
    const runtime = edges.find(
      (e) => e.from === 'src/services/control/dispatcher.ts' && e.to === 'src/domain/control/next-value.ts',
    );
    expect(runtime?.typeOnly).toBe(false);
  });

  it('no file in src/domain/ imports from src/ports/ (ports import the domain)', () => {
    const found = edges.filter((e) => e.from.startsWith('src/domain/') && e.to?.startsWith('src/ports/'));
    expect(found.map(arrow)).toEqual([]);
  });

  it('src/domain/ imports only types from src/config/ (rules live in the domain)', () => {
    const found = edges
      .filter((e) => e.from.startsWith('src/domain/') && e.to?.startsWith('src/config/') && !e.typeOnly)
      .map(arrow);
    expect(found, 'runtime imports from config/ into domain/ (move the rule into the domain)').toEqual([]);
  });

  it('src/config/ imports nothing from src/adapters/ (the rules it checks live in the domain)', () => {
    const found = edges.filter((e) => e.from.startsWith('src/config/') && e.to?.startsWith('src/adapters/'));
    expect(found.map(arrow)).toEqual([]);
  });

  it('no two service folders import each other', () => {
    const pairs = new Map<string, string>();
    for (const e of edges) {
      const a = serviceFolderOf(e.from);
      const b = e.to === undefined ? undefined : serviceFolderOf(e.to);
      if (a && b && a !== b && !pairs.has(`${a} -> ${b}`)) pairs.set(`${a} -> ${b}`, arrow(e));
    }
    const twoWay: string[] = [];
    const examples: string[] = [];
    for (const [key, example] of pairs) {
      const [a, b] = key.split(' -> ') as [string, string];
      if (a < b && pairs.has(`${b} -> ${a}`)) {
        twoWay.push(`${a} <-> ${b}`);
        examples.push(`${example}; ${pairs.get(`${b} -> ${a}`)}`);
      }
    }
    expect(twoWay, `two-way imports between service folders: ${examples.join(' | ')}`).toEqual([]);
  });
});
