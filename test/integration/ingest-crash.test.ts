import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { exited, startIngestChild } from '../helpers/ingest-process.js';
import { waitFor } from '../helpers/mqtt.js';

const MIN = 60_000;
const N = 200;

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-ingest-crash-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The ingest path in a child process; resolves once it has subscribed. */
const startChild = (args: { clientId: string; topic: string; flushSeconds: number }) =>
  startIngestChild({ url: broker.url, storageDir: join(dir, 'storage'), ...args });

/** A read-only look at the service's SQLite file (WAL lets it read while the service writes). */
function count(sql: string): number {
  const db = new Database(join(dir, 'storage', 'quietwatt.db'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('ingest killed with SIGKILL', () => {
  it('stores every QoS 1 reading the broker saw acknowledged exactly once after a restart', async () => {
    const { prefix, clientId } = broker.unique('crash');
    const topic = `${prefix}/m1`;
    // No periodic flush in the first run: what is acknowledged lives only in the inbox.
    let child = await startChild({ clientId, topic, flushSeconds: 3600 });
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `${clientId}-pub` });
    const t0 = Date.now() - N * MIN;
    const publish = (i: number) =>
      publisher.publishAsync(topic, JSON.stringify({ ts: t0 + i * MIN, energyKWh: 100 + i * 0.1 }), {
        qos: 1,
      });
    try {
      for (let i = 0; i < N / 2; i++) await publish(i);
      // The first half acknowledged by the service: each is in the inbox, none written further yet.
      await waitFor(
        () => count('SELECT count(*) AS n FROM inbound_inbox') === N / 2,
        () => `inbox rows: ${count('SELECT count(*) AS n FROM inbound_inbox')}`,
      );
      expect(count('SELECT count(*) AS n FROM readings')).toBe(0);
      // The second half: killed as soon as the broker has acknowledged the last one to the publisher.
      await Promise.all(Array.from({ length: N / 2 }, (_, k) => publish(N / 2 + k)));
      child.kill('SIGKILL');
      await exited(child);

      child = await startChild({ clientId, topic, flushSeconds: 1 });
      await waitFor(
        () => count('SELECT count(*) AS n FROM readings') === N,
        () => `readings stored: ${count('SELECT count(*) AS n FROM readings')}`,
        20_000,
      );
      child.kill('SIGTERM');
      await exited(child);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await publisher.endAsync();
    }
    expect(count('SELECT count(*) AS n FROM readings')).toBe(N);
    expect(count('SELECT count(DISTINCT ts_ms) AS n FROM readings')).toBe(N);
    expect(count('SELECT count(*) AS n FROM inbound_inbox')).toBe(0);
    const db = new Database(join(dir, 'storage', 'quietwatt.db'), { readonly: true });
    const { kwh } = db.prepare('SELECT sum(energy_kwh) AS kwh FROM intervals WHERE minutes = 15').get() as {
      kwh: number;
    };
    db.close();
    // Interval energy equals the register's rise: nothing lost, nothing counted twice.
    expect(kwh).toBeCloseTo((N - 1) * 0.1, 6);
  });
});
