import { describe, expect, it } from 'vitest';
import { Slicer } from '../../src/services/shared/slicer.js';

/** Whether the event loop took a turn (a setImmediate ran) while `work` was awaited. */
async function yielded(work: () => Promise<void>): Promise<boolean> {
  let ran = false;
  const pending = setImmediate(() => {
    ran = true;
  });
  await work();
  clearImmediate(pending);
  return ran;
}

describe('Slicer', () => {
  it('lets the event loop in only once a slice of work is used up, then starts the next slice', async () => {
    let nowMs = 1_000;
    const slice = new Slicer(20, () => nowMs);
    expect(await yielded(() => slice.turn())).toBe(false);
    nowMs += 20;
    expect(await yielded(() => slice.turn())).toBe(false);
    nowMs += 1;
    expect(await yielded(() => slice.turn())).toBe(true);
    // The next slice runs from the turn.
    nowMs += 20;
    expect(await yielded(() => slice.turn())).toBe(false);
    nowMs += 5;
    expect(await yielded(() => slice.turn())).toBe(true);
  });

  it('yields once per slice of a long loop, whatever the length of its items', async () => {
    let nowMs = 0;
    const slice = new Slicer(20, () => nowMs);
    let turns = 0;
    // 100 items of 1 ms, then 10 items of 30 ms.
    for (const itemMs of [...Array<number>(100).fill(1), ...Array<number>(10).fill(30)]) {
      nowMs += itemMs;
      if (await yielded(() => slice.turn())) turns++;
    }
    expect(turns).toBe(4 + 10);
  });
});
