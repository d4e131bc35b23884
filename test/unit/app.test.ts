import { describe, expect, it } from 'vitest';
import { component, createApp, StartAborted } from '../../src/app.js';
import { captureLogger } from '../helpers/logger.js';

describe('createApp', () => {
  it('starts in order and stops in reverse, once', async () => {
    const events: string[] = [];
    const parts = ['broker', 'db', 'bus', 'ingest'].map((name) =>
      component(
        name,
        () => {
          events.push(`start ${name}`);
        },
        () => {
          events.push(`stop ${name}`);
        },
      ),
    );
    const app = createApp(parts, captureLogger());
    await app.start();
    await Promise.all([app.stop(), app.stop()]);
    expect(events).toEqual([
      'start broker',
      'start db',
      'start bus',
      'start ingest',
      'stop ingest',
      'stop bus',
      'stop db',
      'stop broker',
    ]);
  });

  it('stops what it started when a later component fails to start, and keeps stopping past a failing stop', async () => {
    const events: string[] = [];
    const log = captureLogger();
    const app = createApp(
      [
        component(
          'a',
          () => void events.push('start a'),
          () => void events.push('stop a'),
        ),
        component(
          'b',
          () => void events.push('start b'),
          () => {
            throw new Error('b cannot stop');
          },
        ),
        component(
          'c',
          () => {
            throw new Error('c cannot start');
          },
          () => void events.push('stop c'),
        ),
      ],
      log,
    );
    await expect(app.start()).rejects.toThrow('c cannot start');
    expect(events).toEqual(['start a', 'start b', 'stop a']);
    expect(log.lines.some((l) => l.level === 'error' && l.msg === 'stop failed')).toBe(true);
  });

  it('on a stop request during start, stops what started and the one starting, in reverse', async () => {
    const events: string[] = [];
    const stopRequest = new AbortController();
    const app = createApp(
      [
        component(
          'db',
          () => void events.push('start db'),
          () => void events.push('stop db'),
        ),
        // Waits for a broker that never comes, until its stop.
        component(
          'bus',
          () => {
            events.push('start bus');
            stopRequest.abort();
            return new Promise<void>(() => undefined);
          },
          () => void events.push('stop bus'),
        ),
        component(
          'ingest',
          () => void events.push('start ingest'),
          () => void events.push('stop ingest'),
        ),
      ],
      captureLogger(),
      { stopDeadlineMs: 20 },
    );
    await expect(app.start(stopRequest.signal)).rejects.toBeInstanceOf(StartAborted);
    expect(events).toEqual(['start db', 'start bus', 'stop bus', 'stop db']);
  });

  it('gives up on a stop that hangs after its deadline and stops the rest', async () => {
    const events: string[] = [];
    const log = captureLogger();
    const app = createApp(
      [
        component(
          'db',
          () => undefined,
          () => void events.push('stop db'),
        ),
        component(
          'control',
          () => undefined,
          () => new Promise<void>(() => undefined),
        ),
      ],
      log,
      { stopDeadlineMs: 20 },
    );
    await app.start();
    await app.stop();
    expect(events).toEqual(['stop db']);
    expect(log.lines.some((l) => l.level === 'warn' && l.msg === 'stop took too long; carrying on')).toBe(
      true,
    );
  });
});
