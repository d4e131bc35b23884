import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxLineWriter } from '../../../src/adapters/influx/influx-line-writer.js';
import type { SeriesPoint } from '../../../src/ports/series-export.js';
import { freePort } from '../../helpers/free-port.js';
import { makeSink, outboxDatabase, RecordingWriter, until } from '../../helpers/influx-sink.js';
import { VictoriaMetrics, victoriaMetricsMissing } from '../../helpers/victoria-metrics.js';

const missing = victoriaMetricsMissing();
const T0 = Date.UTC(2025, 10, 3);
const SPACES = ['lobby', 'garage', 'gym'];

/** Point i of a space: value i at minute i, so order and completeness can be read back. */
const point = (space: string, i: number): SeriesPoint => ({
  measurement: 'sensor',
  tags: { site: 'maple', space, device: `${space}-lux`, kind: 'illuminance' },
  fields: { value: i },
  tsMs: T0 + i * 60_000,
});
const batch = (from: number, to: number): SeriesPoint[] =>
  SPACES.flatMap((s) => Array.from({ length: to - from }, (_, k) => point(s, from + k)));

const writerFor = (url: string) =>
  new RecordingWriter(
    new InfluxLineWriter({ url, org: 'qw', bucket: 'qw', timeoutMs: 2_000, maxBatchLines: 40 }),
  );

/** The minutes of each space's lines, in the order the server took them. */
function takenOrder(lines: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const l of lines) {
    const space = /space=([^, ]+)/.exec(l)?.[1] ?? '?';
    out.set(space, [...(out.get(space) ?? []), Number(/value=(\d+)/.exec(l)?.[1])]);
  }
  return out;
}

describe.skipIf(missing)('InfluxDB sink through a server outage (victoria-metrics)', () => {
  let vm: VictoriaMetrics;
  let dir: string;
  beforeAll(async () => {
    vm = await VictoriaMetrics.start();
    dir = mkdtempSync(join(tmpdir(), 'qw-outbox-'));
  });
  afterAll(async () => {
    await vm?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every point exactly once and in order, across server and service restarts', async () => {
    const file = join(dir, 'quietwatt.db');
    const opts = { batchLines: 40, flushMs: 25, firstBackoffMs: 50, maxBackoffMs: 400 };
    const firstWriter = writerFor(vm.url);
    const first = makeSink(outboxDatabase(file), firstWriter, opts);
    await first.sink.start();

    first.sink.write(batch(0, 50));
    await until('first points written', () => first.outbox.size() === 0 && firstWriter.taken.length === 150);

    // The server goes away while the service runs: points wait in the outbox.
    await vm.stop();
    first.sink.write(batch(50, 100));
    await until('failed writes', () => first.sink.counts().failedRequests >= 2);
    first.sink.write(batch(100, 120));
    await until('queued', () => first.outbox.size() === 210);
    expect(first.alerts.open.has('export-unreachable')).toBe(true);

    // It comes back: the backlog goes first, in order.
    await vm.run();
    await until('backlog sent', () => first.outbox.size() === 0);
    expect(first.alerts.open.has('export-unreachable')).toBe(false);

    // Down again, and this time the service stops too: the outbox is kept in the SQLite file.
    await vm.stop();
    first.sink.write(batch(120, 160));
    await until('failed again', () => first.outbox.size() === 120);
    await first.sink.stop();
    expect(first.outbox.size()).toBe(120);

    await vm.run();
    const secondWriter = writerFor(vm.url);
    const second = makeSink(outboxDatabase(file), secondWriter, opts);
    await second.sink.start();
    second.sink.write(batch(160, 200));
    await until('everything sent', () => second.outbox.size() === 0 && secondWriter.taken.length === 240);
    await second.sink.stop();

    // Every space's points were taken in the order they were written...
    const taken = takenOrder([...firstWriter.taken, ...secondWriter.taken]);
    for (const s of SPACES) expect(taken.get(s)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // ...and the server holds each exactly once (it keeps duplicates: no deduplication flags).
    const all = await vm.export('{__name__="sensor_value"}');
    expect(all).toHaveLength(3);
    for (const s of all) {
      expect(s.values).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(s.timestamps).toEqual(Array.from({ length: 200 }, (_, i) => T0 + i * 60_000));
    }
  });

  it('retries 5xx answers and timeouts with the same lines, and dead-letters 413 and 422', async () => {
    // In front of the real server: the first accepted request passes, then two 503s, one request
    // left unanswered past the client's timeout (never forwarded: the server did not take it), and a
    // 500; a request holding a line marked too-large is answered 413, one marked unprocessable 422.
    // Everything else is passed through.
    const script: ('pass' | 503 | 'hang' | 500)[] = ['pass', 503, 503, 'hang', 500];
    const failed: string[][] = [];
    const accepted: string[][] = [];
    const port = await freePort();
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gzipped = req.headers['content-encoding'] === 'gzip';
        const body = (gzipped ? gunzipSync(raw) : raw).toString();
        const lines = body.split('\n').filter((l) => l.length > 0);
        for (const [mark, status] of [
          ['too-large', 413],
          ['unprocessable', 422],
        ] as const)
          if (body.includes(mark)) {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ code: 'invalid', message: `refused: ${mark}` }));
            return;
          }
        const step = script.shift() ?? 'pass';
        if (step === 'hang') {
          failed.push(lines);
          setTimeout(() => res.destroy(), 2_000);
          return;
        }
        if (step !== 'pass') {
          failed.push(lines);
          res.writeHead(step, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 'internal error', message: `HTTP ${step}` }));
          return;
        }
        fetch(`${vm.url}${req.url ?? '/'}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
        })
          .then(async (r) => {
            if (r.ok) accepted.push(lines);
            res.writeHead(r.status);
            res.end(await r.text());
          })
          .catch(() => {
            res.writeHead(503);
            res.end();
          });
      });
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', () => r()));
    try {
      const writer = new InfluxLineWriter({
        url: `http://127.0.0.1:${port}`,
        org: 'qw',
        bucket: 'qw',
        timeoutMs: 500,
        maxBatchLines: 40,
      });
      const { sink, outbox, alerts } = makeSink(outboxDatabase(), writer, {
        batchLines: 40,
        firstBackoffMs: 50,
        maxBackoffMs: 200,
      });
      await sink.start();
      const marked = (i: number): string =>
        i === 31 ? 'too-large' : i === 77 ? 'unprocessable' : 'studio-lux';
      const points = Array.from({ length: 120 }, (_, i) => ({
        ...point('studio', i),
        tags: { ...point('studio', i).tags, device: marked(i) },
      }));
      sink.write(points);
      await until('done', () => outbox.size() === 0 && outbox.deadLetterCount() === 2);
      await sink.stop();

      expect(script).toEqual([]);
      expect(failed).toHaveLength(4);
      expect(sink.counts()).toMatchObject({ written: 118, refused: 2, failedRequests: 4, dropped: 0 });
      // A retry sends the very lines that failed, timestamps included: on InfluxDB, a retry of a
      // request the server did take after all overwrites instead of adding.
      const sent = new Set(accepted.flat());
      for (const lines of failed) for (const l of lines) expect(sent.has(l), l).toBe(true);
      expect(
        outbox
          .deadLetters(5)
          .map((d) => d.status)
          .sort(),
      ).toEqual([413, 422]);
      expect(alerts.open.get('export-refused')?.severity).toBe('warning');

      const [studio, ...others] = await vm.export('{__name__="sensor_value",space="studio"}');
      expect(others).toEqual([]);
      const expected = Array.from({ length: 120 }, (_, i) => i).filter((i) => i !== 31 && i !== 77);
      expect(studio?.values).toEqual(expected);
      expect(studio?.timestamps).toEqual(expected.map((i) => T0 + i * 60_000));
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  it('puts a point the server refuses for good in the dead letters and delivers the rest', async () => {
    // In front of the real server, one that refuses (400) any request holding a poisoned line,
    // as InfluxDB does with a line it cannot parse; everything else is passed through.
    const port = await freePort();
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        // The client gzips larger bodies.
        const gzipped = req.headers['content-encoding'] === 'gzip';
        const body = (gzipped ? gunzipSync(raw) : raw).toString();
        if (body.includes('poison')) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 'invalid', message: 'unable to parse the poisoned line' }));
          return;
        }
        fetch(`${vm.url}${req.url ?? '/'}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
        })
          .then(async (r) => {
            res.writeHead(r.status);
            res.end(await r.text());
          })
          .catch(() => {
            res.writeHead(503);
            res.end();
          });
      });
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', () => r()));
    try {
      const writer = writerFor(`http://127.0.0.1:${port}`);
      const { sink, outbox, alerts } = makeSink(outboxDatabase(), writer, { batchLines: 40 });
      await sink.start();
      const points = Array.from({ length: 60 }, (_, i) => ({
        ...point('clubhouse', i),
        tags: { ...point('clubhouse', i).tags, device: i === 23 ? 'poison' : 'clubhouse-lux' },
      }));
      sink.write(points);
      await until('done', () => outbox.size() === 0 && outbox.deadLetterCount() === 1);
      await sink.stop();

      const dead = outbox.deadLetters(5);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ status: 400 });
      expect(dead[0]?.line).toContain('device=poison');
      expect(dead[0]?.reason).toContain('unable to parse');
      expect(alerts.open.get('export-refused')?.severity).toBe('warning');
      expect(sink.counts()).toMatchObject({ written: 59, refused: 1 });

      const [clubhouse, ...others] = await vm.export('{__name__="sensor_value",space="clubhouse"}');
      expect(others).toEqual([]);
      const expected = Array.from({ length: 60 }, (_, i) => i).filter((i) => i !== 23);
      expect(clubhouse?.values).toEqual(expected);
      expect(clubhouse?.metric.device).toBe('clubhouse-lux');
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
