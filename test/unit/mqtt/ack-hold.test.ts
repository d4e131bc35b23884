import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckHold } from '../../../src/adapters/mqtt/ack-hold.js';
import type { AlertRaise } from '../../../src/domain/alerts/alert.js';
import { captureLogger } from '../../helpers/logger.js';

afterEach(() => {
  vi.useRealTimers();
});

function recording() {
  const events: string[] = [];
  return {
    events,
    sink: {
      raise: (a: AlertRaise) => events.push(`raise ${a.kind}:${a.subject} ${a.severity}`),
      clear: (a: Pick<AlertRaise, 'kind' | 'subject'>) => events.push(`clear ${a.kind}:${a.subject}`),
    },
  };
}

describe('AckHold alerts', () => {
  it('raises store-unwritable once per run of refused appends and clears it when appends resume', () => {
    vi.useFakeTimers();
    const { events, sink } = recording();
    const hold = new AckHold(captureLogger(), () => Date.now(), sink);
    // The first success after a start clears an alert restored from before a restart; later ones cost nothing.
    hold.resumed();
    hold.resumed();
    expect(events).toEqual(['clear store-unwritable:inbox']);

    let refusals = 3;
    const attempt = (): boolean => {
      if (refusals-- > 0) {
        hold.hold(new Error('database or disk is full'), attempt);
        return false;
      }
      hold.resumed();
      return true;
    };
    attempt();
    vi.advanceTimersByTime(60_000);
    expect(hold.holding).toBe(false);
    expect(events).toEqual([
      'clear store-unwritable:inbox',
      'raise store-unwritable:inbox critical',
      'clear store-unwritable:inbox',
    ]);
  });
});
