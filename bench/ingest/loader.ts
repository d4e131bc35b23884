/**
 * The ingest bench's loader, a process of its own so that publishing never competes with what it
 * measures: `perMeter` readings of every meter, one minute apart in reading time and ending just
 * before now, in the plain JSON meter format (`{"ts": ISO, "energyKWh": register}`), published as
 * fast as the broker takes them (QoS 1: up to 500 unacknowledged; QoS 0: a socket drain every 500).
 * Prints `ready` once connected, then what it published, and how fast, as one JSON line. With
 * `seconds`, it publishes rounds (one reading of every meter each) until that long has passed, at
 * most `perMeter` of them.
 *
 *   tsx bench/ingest/loader.ts <brokerUrl> <topicPrefix> <meters> <perMeter> <qos 0|1> [firstMeter] [seconds]
 */
import mqtt from 'mqtt';

const MIN_MS = 60_000;
const [
  url = '',
  prefix = '',
  metersArg = '0',
  perMeterArg = '0',
  qosArg = '1',
  firstArg = '0',
  secondsArg = '0',
] = process.argv.slice(2);
const meters = Number(metersArg);
const perMeter = Number(perMeterArg);
const qos = qosArg === '0' ? 0 : 1;
const first = Number(firstArg);
const untilMs = Number(secondsArg) > 0 ? Number(secondsArg) * 1000 : Number.POSITIVE_INFINITY;
const IN_FLIGHT = 500;

const client = await mqtt.connectAsync(url, { clientId: `bench-loader-${process.pid}`, clean: true });
// The bench times consumers from this line: the loader's own start-up is not in their rates.
process.stdout.write('ready\n');
// Reading time: one reading a minute per meter, the last a minute before now (inside every age limit).
const t0Ms = Math.floor(Date.now() / MIN_MS) * MIN_MS - (perMeter + 1) * MIN_MS;
const startMs = performance.now();
const inFlight = new Set<Promise<unknown>>();
let published = 0;
for (let i = 0; i < perMeter && performance.now() - startMs < untilMs; i++) {
  const ts = new Date(t0Ms + i * MIN_MS).toISOString();
  for (let m = first; m < first + meters; m++) {
    // A register rising 10 Wh a minute (600 W), from a different base per meter.
    const payload = `{"ts":"${ts}","energyKWh":${(1000 + m + i * 0.01).toFixed(3)}}`;
    const p = client.publishAsync(`${prefix}/${m}`, payload, { qos });
    published++;
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
}
await Promise.all(inFlight);
const elapsedS = (performance.now() - startMs) / 1000;
await client.endAsync();
process.stdout.write(`${JSON.stringify({ published, elapsedS, ratePerS: published / elapsedS })}\n`);
