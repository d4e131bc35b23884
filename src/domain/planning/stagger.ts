import { changesOf, hvacKey } from './changes.js';
import type { HvacDevicePlan, HvacSlot, SpacePlan } from './types.js';

/** Slots a deferred start may move earlier to keep its warm-up time (3 h, the longest pre-start). */
const MAX_SHIFT_SLOTS = 12;

interface Ref {
  readonly plan: number;
  readonly device: number;
}

const isStart = (s: HvacSlot): boolean => s.phase === 'optimal-start' || s.phase === 'precondition';

/**
 * How much a device can give up in a slot, K: its space's comfort margin, plus a bonus where the
 * slot is not occupied (before occupancy there is still time, at setback or coasting nobody needs it).
 */
function slack(plan: SpacePlan, slot: HvacSlot, i: number): number {
  const margin = plan.comfortMarginK[i] ?? 0;
  if (slot.phase === 'occupied' || slot.phase === 'relaxed') return margin;
  if (isStart(slot)) return margin + 5;
  return margin + 10;
}

/**
 * Community peak limit: in every slot the summed rated power of running HVAC units stays at or
 * below `limitKW`. Where it would not, the units with the most comfort slack are deferred first
 * (the space closest to its band edge keeps running), and a deferred start is moved earlier, into
 * a slot with spare capacity, so its space still reaches its setpoint by occupancy. Predicted
 * temperatures in the returned plans are those before staggering.
 */
export function staggerHvac(plans: readonly SpacePlan[], limitKW: number): SpacePlan[] {
  const slots: HvacSlot[][][] = plans.map((p) => p.hvac.map((d) => [...d.slots]));
  const n = Math.max(0, ...slots.flatMap((p) => p.map((d) => d.length)));
  const load = new Array<number>(n).fill(0);
  const kw = (r: Ref): number => (plans[r.plan]?.hvac[r.device]?.ratedPowerW ?? 0) / 1000;
  const get = (r: Ref, i: number): HvacSlot | undefined => slots[r.plan]?.[r.device]?.[i];
  const set = (r: Ref, i: number, s: HvacSlot): void => {
    const d = slots[r.plan]?.[r.device];
    if (d) d[i] = s;
  };
  const refs: Ref[] = [];
  plans.forEach((p, pi) => {
    p.hvac.forEach((_, di) => {
      refs.push({ plan: pi, device: di });
    });
  });
  for (let i = 0; i < n; i++) {
    for (const r of refs)
      if (get(r, i)?.mode !== undefined && get(r, i)?.mode !== 'off') load[i] = (load[i] ?? 0) + kw(r);
  }
  for (let i = 0; i < n; i++) {
    if ((load[i] ?? 0) <= limitKW + 1e-9) continue;
    const running = refs
      .filter((r) => get(r, i)?.mode !== 'off' && get(r, i) !== undefined)
      .sort((x, y) => {
        const sx = slack(plans[x.plan] as SpacePlan, get(x, i) as HvacSlot, i);
        const sy = slack(plans[y.plan] as SpacePlan, get(y, i) as HvacSlot, i);
        return sy - sx;
      });
    for (const r of running) {
      if ((load[i] ?? 0) <= limitKW + 1e-9) break;
      const was = get(r, i) as HvacSlot;
      set(r, i, { mode: 'off', phase: 'peak-deferred', reason: `peak limit ${limitKW} kW: deferred` });
      load[i] = (load[i] ?? 0) - kw(r);
      if (!isStart(was)) continue;
      // Keep the warm-up time: run one slot earlier than the start run, where there is room.
      let j = i - 1;
      while (j >= 0 && get(r, j)?.mode !== 'off' && get(r, j)?.phase !== 'setback') j--;
      for (; j >= Math.max(0, i - MAX_SHIFT_SLOTS); j--) {
        const cur = get(r, j);
        if (!cur || (cur.mode !== 'off' && cur.phase !== 'setback')) continue;
        const extra = cur.mode === 'off' ? kw(r) : 0;
        if ((load[j] ?? 0) + extra > limitKW + 1e-9) continue;
        set(r, j, { ...was, reason: `${was.reason}; started earlier under the peak limit` });
        load[j] = (load[j] ?? 0) + extra;
        break;
      }
    }
  }
  return plans.map((p, pi) => ({
    ...p,
    hvac: p.hvac.map((d, di): HvacDevicePlan => {
      const s = slots[pi]?.[di] ?? [...d.slots];
      return { ...d, slots: s, changes: changesOf(s, p.startMs, hvacKey) };
    }),
  }));
}
