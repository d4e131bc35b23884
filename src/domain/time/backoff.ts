/**
 * Wait before the next attempt after `failures` failures in a row: `firstMs` after the first, doubled
 * after each further one, never more than `maxMs` (the exponent is capped so it cannot overflow).
 */
export function backoffMs(failures: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}
