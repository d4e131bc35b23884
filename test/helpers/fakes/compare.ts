/** Orders like SQLite's default BINARY collation for the ids used here (plain code-unit order). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts by each key in turn: numbers ascending, strings in code-unit order. */
export function byKeys<T>(...keys: ((row: T) => string | number)[]) {
  return (a: T, b: T): number => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : compareStrings(String(x), String(y));
      if (c !== 0) return c;
    }
    return 0;
  };
}
