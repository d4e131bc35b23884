/**
 * The bench's meter loader, a process of its own so that publishing never competes with the service
 * for its event loop: `meters` meters publish their cumulative register once per second each, paced
 * in 10 slices a second, at QoS 1, for `seconds`; then it prints what it published as JSON.
 *
 *   tsx bench/api/loader.ts <brokerUrl> <topicPrefix> <meters> <seconds>
 */
import mqtt from 'mqtt';

const [url = '', prefix = '', metersArg = '0', secondsArg = '0'] = process.argv.slice(2);
const meters = Number(metersArg);
const seconds = Number(secondsArg);
const client = await mqtt.connectAsync(url, { clientId: `bench-loader-${process.pid}`, clean: true });
const registers = new Float64Array(meters).fill(1000);
let published = 0;
let late = 0;
const startMs = Date.now();
const SLICES = 10;
for (let tick = 0; tick < seconds * SLICES; tick++) {
  const dueMs = startMs + (tick * 1000) / SLICES;
  const waitMs = dueMs - Date.now();
  if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
  else if (waitMs < -200) late++;
  const nowIso = new Date().toISOString();
  const sends: Promise<unknown>[] = [];
  for (let m = tick % SLICES; m < meters; m += SLICES) {
    registers[m] = (registers[m] ?? 0) + 0.0005;
    const payload = `{"ts":"${nowIso}","energyKWh":${(registers[m] ?? 0).toFixed(4)}}`;
    sends.push(client.publishAsync(`${prefix}/${m}`, payload, { qos: 1 }));
  }
  await Promise.all(sends);
  published += sends.length;
}
const elapsedS = (Date.now() - startMs) / 1000;
await client.endAsync();
process.stdout.write(
  `${JSON.stringify({ published, elapsedS, ratePerS: published / elapsedS, lateSlices: late })}\n`,
);
