import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxSink } from '../../../src/adapters/influx/outbox-sink.js';
import type { LineWriter, SeriesPoint, WriteOutcome } from '../../../src/ports/series-export.js';
import { makeSink, outboxDatabase, until } from '../../helpers/influx-sink.js';

/** A server in memory: up or down, refusing lines that contain `poison`. */
class FakeServer implements LineWriter {
  up = true;
  readonly stored: string[] = [];
  requests = 0;
  async send(lines: readonly string[]): Promise<WriteOutcome> {
    this.requests += 1;
    if (!this.up) return { kind: 'retry', status: 503, reason: 'HTTP 503: down' };
    if (lines.some((l) => l.includes('poison')))
      return { kind: 'refused', status: 400, reason: 'HTTP 400: unable to parse' };
    this.stored.push(...lines);
    return { kind: 'written' };
  }
  async close(): Promise<void> {}
}

const point = (i: number, space = 'lobby'): SeriesPoint => ({
  measurement: 'sensor',
  tags: { site: 'a', space, device: 's1', kind: 'illuminance' },
  fields: { value: i },
  tsMs: 1_700_000_000_000 + i * 60_000,
});

let running: OutboxSink[] = [];
afterEach(async () => {
  for (const s of running) await s.stop();
  running = [];
});

describe('OutboxSink', () => {
  it('sends points in order, batched, and empties the outbox', async () => {
    const server = new FakeServer();
    const { sink, outbox } = makeSink(outboxDatabase(), server, { batchLines: 10 });
    running.push(sink);
    await sink.start();
    sink.write(Array.from({ length: 35 }, (_, i) => point(i)));
    await until('all sent', () => server.stored.length === 35 && outbox.size() === 0);
    expect(server.stored.map((l) => Number(/value=(\d+)/.exec(l)?.[1]))).toEqual(
      Array.from({ length: 35 }, (_, i) => i),
    );
    expect(server.requests).toBe(4);
    expect(sink.counts()).toMatchObject({ written: 35, failedRequests: 0, refused: 0, dropped: 0 });
  });

  it('keeps a rewritten point once, with its last value', async () => {
    const server = new FakeServer();
    const { sink } = makeSink(outboxDatabase(), server);
    running.push(sink);
    await sink.start();
    sink.write([point(1), { ...point(1), fields: { value: 99 } }]);
    await until('sent', () => server.stored.length > 0);
    expect(server.stored).toEqual([
      'sensor,device=s1,kind=illuminance,site=a,space=lobby value=99 1700000060000',
    ]);
  });

  it('holds points while the server is down and sends them in order once it is back', async () => {
    const server = new FakeServer();
    const { sink, outbox, alerts } = makeSink(outboxDatabase(), server);
    running.push(sink);
    await sink.start();
    server.up = false;
    sink.write([point(0), point(1)]);
    await until('a failed write', () => sink.counts().failedRequests >= 2);
    sink.write([point(2)]);
    await until('queued', () => outbox.size() === 3);
    expect(alerts.open.get('export-unreachable')?.severity).toBe('warning');
    server.up = true;
    await until('sent', () => outbox.size() === 0);
    expect(server.stored.map((l) => l.split(' ')[2])).toEqual([
      '1700000000000',
      '1700000060000',
      '1700000120000',
    ]);
    expect(alerts.open.has('export-unreachable')).toBe(false);
  });

  it('keeps the outbox across a restart and sends it first', async () => {
    const db = outboxDatabase();
    const server = new FakeServer();
    server.up = false;
    const first = makeSink(db, server);
    await first.sink.start();
    first.sink.write([point(0), point(1)]);
    await first.sink.stop();
    expect(first.outbox.size()).toBe(2);
    server.up = true;
    const second = makeSink(db, server);
    running.push(second.sink);
    await second.sink.start();
    second.sink.write([point(2)]);
    await until('sent', () => second.outbox.size() === 0 && server.stored.length === 3);
    expect(server.stored.map((l) => l.split(' ')[2])).toEqual([
      '1700000000000',
      '1700000060000',
      '1700000120000',
    ]);
  });

  it('sends what is queued at a stop while the server takes it', async () => {
    const server = new FakeServer();
    const { sink, outbox } = makeSink(outboxDatabase(), server, { flushMs: 60_000 });
    await sink.start();
    sink.write([point(0), point(1)]);
    await sink.stop();
    expect(server.stored).toHaveLength(2);
    expect(outbox.size()).toBe(0);
  });

  it('moves a refused point to the dead letters, raises an alert and sends the rest', async () => {
    const server = new FakeServer();
    const { sink, outbox, alerts } = makeSink(outboxDatabase(), server, { batchLines: 20 });
    running.push(sink);
    await sink.start();
    const points = Array.from({ length: 20 }, (_, i) => point(i));
    points[7] = point(7, 'poison');
    sink.write(points);
    await until('done', () => outbox.size() === 0);
    expect(server.stored).toHaveLength(19);
    expect(server.stored.some((l) => l.includes('poison'))).toBe(false);
    const dead = outbox.deadLetters(10);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ status: 400, reason: 'HTTP 400: unable to parse' });
    expect(dead[0]?.line).toContain('space=poison');
    expect(alerts.open.get('export-refused')?.message).toContain('influx_dead_letter');
    // Order holds around the refused point.
    const times = server.stored.map((l) => Number(l.split(' ')[2]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('drops the oldest points beyond its bound and raises an alert', async () => {
    const server = new FakeServer();
    server.up = false;
    const { sink, outbox, alerts } = makeSink(outboxDatabase(), server, { maxOutboxLines: 5 });
    running.push(sink);
    await sink.start();
    sink.write(Array.from({ length: 8 }, (_, i) => point(i)));
    sink.flush();
    expect(outbox.size()).toBe(5);
    expect(outbox.head(1)[0]?.line).toContain('value=3 ');
    expect(sink.counts().dropped).toBe(3);
    expect(alerts.open.get('export-outbox-full')?.severity).toBe('critical');
  });
});
