import { checkCount } from '../../../src/adapters/sqlite/checks.js';
import type {
  CounterStore,
  KeyValueStore,
  MeterStateStore,
  RejectionCount,
  StoredMeterState,
} from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

export class MemoryMeterStateStore implements MeterStateStore {
  private readonly states = new Map<string, StoredMeterState>();

  loadMeterState(meterId: string): StoredMeterState | undefined {
    const state = this.states.get(meterId);
    return state instanceof Uint8Array ? state.slice() : state;
  }

  saveMeterState(meterId: string, state: StoredMeterState): void {
    this.states.set(meterId, state instanceof Uint8Array ? state.slice() : state);
  }

  saveMeterStates(states: ReadonlyMap<string, StoredMeterState>): void {
    for (const [meterId, state] of states) this.saveMeterState(meterId, state);
  }
}

export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
  }
}

export class MemoryCounterStore implements CounterStore {
  private readonly counters = new Map<string, RejectionCount>();

  increment(meterId: string, reason: string, by = 1): number {
    checkCount(meterId, reason, by);
    const key = `${meterId}\u0000${reason}`;
    const count = (this.counters.get(key)?.count ?? 0) + by;
    if (by > 0) this.counters.set(key, { meterId, reason, count });
    return count;
  }

  counts(): RejectionCount[] {
    return [...this.counters.values()]
      .sort(
        byKeys(
          (c) => c.meterId,
          (c) => c.reason,
        ),
      )
      .map((c) => ({ ...c }));
  }
}
