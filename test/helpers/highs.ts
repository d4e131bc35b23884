import highsModule from 'highs';
import { highsOptions } from '../../src/adapters/solver/highs-options.mjs';

/**
 * The HiGHS loader, typed. The package's declarations are read as CommonJS under NodeNext, so the
 * default import's type is the module object, while at run time it is the loader itself.
 */
type Loader = typeof import('highs').default;
export const loadHighs: Loader =
  (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);

/** One program solved in this thread, answered as the worker answers. */
export async function solveInThread(): Promise<
  (lpText: string) => { status: string; columns: Record<string, number> }
> {
  const highs = await loadHighs();
  return (lpText) => {
    const r = highs.solve(lpText, highsOptions());
    const columns: Record<string, number> = {};
    if (r.Status === 'Optimal')
      for (const [name, col] of Object.entries(r.Columns)) columns[name] = col.Primal;
    return { status: r.Status, columns };
  };
}
