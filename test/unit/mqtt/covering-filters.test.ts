import type { ISubscriptionGrant } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { CoveringFilters, type Subscriber } from '../../../src/adapters/mqtt/covering-filters.js';
import { captureLogger } from '../../helpers/logger.js';

/** A client whose broker grants every filter but those in `refuse` (SUBACK 0x80), or fails outright. */
function fakeClient(refuse: readonly string[] = [], fail = false) {
  const sent: string[][] = [];
  const client = {
    subscribeAsync: async (filters: string | string[]) => {
      const list = typeof filters === 'string' ? [filters] : filters;
      sent.push(list);
      if (fail) throw new Error('connection closed');
      return list.map((topic): ISubscriptionGrant => ({ topic, qos: refuse.includes(topic) ? 0x80 : 1 }));
    },
  } as Subscriber;
  return { client, sent };
}

describe('CoveringFilters', () => {
  const topics = ['site-a/m1', 'site-a/m2', 'site-b/m1', '$SYS/x', 'tele/+/SENSOR', 'site-a/+'];

  it('sends the broker only wildcards and the exact topics no covering filter takes', () => {
    const covering = new CoveringFilters(['site-a/+'], captureLogger());
    expect(covering.toBroker(topics)).toEqual(['site-b/m1', '$SYS/x', 'tele/+/SENSOR']);
    expect(covering.covers('site-a/m1')).toBe(true);
    expect(covering.covers('site-a/m1/deeper')).toBe(false);
    expect(new CoveringFilters([], captureLogger()).toBroker(topics)).toEqual(topics);
  });

  it('keeps $ topics out of a filter that starts with a wildcard', () => {
    const covering = new CoveringFilters(['#'], captureLogger());
    expect(covering.toBroker(['a/b', '$SYS/x'])).toEqual(['$SYS/x']);
  });

  it('subscribes its filters once, and drops a refused one so that its topics go one by one', async () => {
    const log = captureLogger();
    const covering = new CoveringFilters(['site-a/+', 'site-c/+'], log);
    const { client, sent } = fakeClient(['site-a/+']);
    const uncovered: string[][] = [];
    const onRefused = async (refused: readonly string[]) => {
      uncovered.push([...refused]);
    };
    await covering.subscribe(client, onRefused);
    await covering.subscribe(client, onRefused);
    expect(sent).toEqual([['site-a/+', 'site-c/+']]);
    expect(uncovered).toEqual([['site-a/+']]);
    expect(covering.toBroker(['site-a/m1', 'site-c/m1'])).toEqual(['site-a/m1']);
    expect(log.lines.some((l) => l.level === 'error' && l.msg?.includes('refused covering filters'))).toBe(
      true,
    );
  });

  it('tries again at the next call after a failed subscribe', async () => {
    const covering = new CoveringFilters(['site-a/+'], captureLogger());
    const down = fakeClient([], true);
    await expect(covering.subscribe(down.client, async () => undefined)).rejects.toThrow('connection closed');
    const up = fakeClient();
    await covering.subscribe(up.client, async () => undefined);
    expect(up.sent).toEqual([['site-a/+']]);
  });
});
