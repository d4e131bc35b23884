import type { PlanChange } from './types.js';
import { SLOT_MS } from './types.js';

/** Slots where a device's value differs from the slot before (slot 0 always counts), with reasons. */
export function changesOf<T extends { readonly reason: string }>(
  slots: readonly T[],
  startMs: number,
  key: (slot: T) => string,
): PlanChange[] {
  const out: PlanChange[] = [];
  let prev: string | undefined;
  slots.forEach((s, i) => {
    const k = key(s);
    if (k !== prev) out.push({ slot: i, tsMs: startMs + i * SLOT_MS, reason: s.reason });
    prev = k;
  });
  return out;
}

export const hvacKey = (s: { mode: string; setpointC?: number }): string =>
  s.mode === 'off' ? 'off' : `${s.mode}:${s.setpointC ?? ''}`;
export const lightingKey = (s: { levelPct: number }): string => String(s.levelPct);
