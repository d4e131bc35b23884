import { describe, expect, it } from 'vitest';
import type { CounterStore } from '../../src/ports/stores.js';
import { InboxBatch } from '../../src/services/shared/inbox-batch.js';
import { RejectionTally } from '../../src/services/shared/rejection-tally.js';
import { MemoryCounterStore } from '../helpers/fakes/memory-small-stores.js';

/** A counter store whose writes fail while `failing` is set, storing nothing of the failed write. */
function flakyStore() {
  const store = new MemoryCounterStore();
  let failing = false;
  const calls: number[] = [];
  const flaky: CounterStore = {
    increment: (id, reason, by) => {
      if (failing) throw new Error('disk full');
      calls.push(by ?? 1);
      return store.increment(id, reason, by);
    },
    counts: () => store.counts(),
  };
  return { flaky, calls, setFailing: (on: boolean) => (failing = on) };
}

describe('RejectionTally', () => {
  it('stores what was sealed, one increment per source and reason, and not what came after', () => {
    const { flaky, calls } = flakyStore();
    const tally = new RejectionTally(flaky);
    for (let i = 0; i < 5; i++) tally.add('m1', 'negative');
    tally.add('m1', 'oversize');
    tally.add('m2', 'negative');
    tally.seal();
    tally.add('m1', 'negative'); // after the seal: the next write's
    new InboxBatch({}).commit([tally], { seal: false });
    expect(flaky.counts()).toEqual([
      { meterId: 'm1', reason: 'negative', count: 5 },
      { meterId: 'm1', reason: 'oversize', count: 1 },
      { meterId: 'm2', reason: 'negative', count: 1 },
    ]);
    expect(calls).toEqual([5, 1, 1]);
    expect(tally.sealedCount).toBe(0);
    tally.seal();
    new InboxBatch({}).commit([tally], { seal: false });
    expect(flaky.counts()[0]).toEqual({ meterId: 'm1', reason: 'negative', count: 6 });
  });

  it('keeps the counts of a failed write and stores them with the next, once', () => {
    const { flaky, setFailing } = flakyStore();
    const tally = new RejectionTally(flaky);
    const batch = new InboxBatch({});
    tally.add('m1', 'negative');
    tally.add('m1', 'negative');
    tally.seal();
    setFailing(true);
    expect(() => batch.commit([tally], { seal: false })).toThrow('disk full');
    expect(tally.sealedCount).toBe(1);
    tally.add('m1', 'negative');
    tally.add('m3', 'malformed-json');
    tally.seal();
    setFailing(false);
    batch.commit([tally], { seal: false });
    expect(flaky.counts()).toEqual([
      { meterId: 'm1', reason: 'negative', count: 3 },
      { meterId: 'm3', reason: 'malformed-json', count: 1 },
    ]);
    batch.commit([tally], { seal: false });
    expect(flaky.counts()[0]?.count).toBe(3);
  });

  it('goes with the inbox batch that holds it: sealed with its rows, stored when they are released', () => {
    const { flaky } = flakyStore();
    const tally = new RejectionTally(flaky);
    const released: number[][] = [];
    const batch = new InboxBatch({ inbox: { release: (seqs) => released.push([...seqs]) } }, tally);
    batch.add(1);
    tally.add('m1', 'negative');
    expect(batch.idle).toBe(false);
    batch.seal();
    batch.add(2);
    tally.add('m1', 'negative'); // after the seal: the next release's
    batch.commit([], { seal: false, release: false }); // a page that is not a flush's last
    expect(flaky.counts()).toEqual([]);
    batch.commit([], { seal: false });
    expect(released).toEqual([[1]]);
    expect(flaky.counts()).toEqual([{ meterId: 'm1', reason: 'negative', count: 1 }]);
    batch.commit([]);
    expect(released).toEqual([[1], [2]]);
    expect(flaky.counts()).toEqual([{ meterId: 'm1', reason: 'negative', count: 2 }]);
    expect(batch.idle).toBe(true);
  });
});
