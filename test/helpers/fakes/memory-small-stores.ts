import { checkCount } from '../../../src/adapters/sqlite/checks.js';
import type {
  CounterStore,
  KeyValueStore,
  MeterStateStore,
  RejectionCount,
} from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

export class MemoryMeterStateStore implements MeterStateStore {
  private readonly states = new Map<string, string>();

  loadMeterState(meterId: string): string | undefined {
    return this.states.get(meterId);
  }

  saveMeterState(meterId: string, stateJson: string): void {
    this.states.set(meterId, stateJson);
  }

  saveMeterStates(states: ReadonlyMap<string, string>): void {
    for (const [meterId, stateJson] of states) this.states.set(meterId, stateJson);
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

  increment(meterId: string, reason: string, by = 1): void {
    checkCount(meterId, reason, by);
    if (by === 0) return;
    const key = `${meterId}\u0000${reason}`;
    const count = (this.counters.get(key)?.count ?? 0) + by;
    this.counters.set(key, { meterId, reason, count });
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
