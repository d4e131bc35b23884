import { expect } from 'vitest';
import type { MeterTotals } from '../../helpers/ingest-process.js';
import { storedPerMeter } from '../../helpers/ingest-process.js';
import type { Loader } from '../../helpers/loader.js';
import { until } from '../../helpers/poll.js';

/** Readings stored over all meters so far (0 before the file exists). */
export function storedTotal(storageDir: string): number {
  let n = 0;
  for (const m of storedPerMeter(storageDir)?.values() ?? []) n += m.n;
  return n;
}

/**
 * Each meter has every reading the loader published, once (count, distinct timestamps and the sum of
 * the registers), and its interval energy equals its register's rise: nothing lost, nothing twice.
 */
export function expectEveryReadingOnce(stored: Map<string, MeterTotals> | undefined, loader: Loader): void {
  expect(stored?.size).toBe(loader.meters);
  for (let k = 1; k <= loader.meters; k++) {
    const got = stored?.get(`m${k}`);
    const want = loader.expected(k);
    expect({ meter: k, n: got?.n, distinct: got?.distinct }).toEqual({
      meter: k,
      n: want.n,
      distinct: want.n,
    });
    expect(got?.sumKWh, `m${k} register sum`).toBeCloseTo(want.sumKWh, 6);
    expect(got?.intervalKWh, `m${k} interval energy`).toBeCloseTo(want.intervalKWh, 6);
  }
}

/** Waits until `total` readings are stored; a timeout says how many were. */
export async function untilAllStored(storageDir: string, total: number, timeoutMs: number): Promise<void> {
  try {
    await until(
      () => (storedTotal(storageDir) === total ? true : undefined),
      `${total} readings stored`,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : error}; ${storedTotal(storageDir)} were`);
  }
}
