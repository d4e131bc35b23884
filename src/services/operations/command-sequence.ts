import type { KeyValueStore } from '../../ports/stores.js';

const LAST_SEQ_KEY = 'commands.lastSeq';

/**
 * The sequence number of the last signed command carried out, kept in the store so that a restart
 * does not let an old (or retained) message through again.
 */
export class CommandSequence {
  constructor(private readonly settings: KeyValueStore) {}

  last(): number {
    const stored = Number(this.settings.get(LAST_SEQ_KEY));
    return Number.isFinite(stored) ? stored : 0;
  }

  /** Whether `seq` is newer than every command carried out so far; if so, it becomes the last. */
  advance(seq: number): boolean {
    if (seq <= this.last()) return false;
    this.settings.set(LAST_SEQ_KEY, String(seq));
    return true;
  }
}
