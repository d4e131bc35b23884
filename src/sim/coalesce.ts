import type { SimOutput } from './model/outputs.js';

/**
 * Whether the receiver has to stamp a message with its arrival time: bare numbers and Zigbee2MQTT
 * payloads carry no timestamp, and a live Shelly status is stamped on arrival too (its `minute_ts`
 * only resolves the minute).
 */
export function isReceiverStamped(o: SimOutput): boolean {
  const format = o.kind === 'meter' ? o.meter.format : o.format;
  return format === 'number' || format === 'zigbee2mqtt' || format === 'shelly-gen2';
}

/**
 * When one tick covers several publishing periods (a fast clock), a device without its own
 * timestamp would deliver a burst that the receiver stamps with one arrival time: conflicting
 * duplicates. A real device publishes at most once per period of the receiver's time, so only the
 * newest such message per topic is kept. Registers are cumulative, so no energy is lost, only
 * resolution; timestamped payloads (Tasmota, json) are all kept.
 */
export function coalesceReceiverStamped(outputs: readonly SimOutput[]): SimOutput[] {
  const lastIndex = new Map<string, number>();
  outputs.forEach((o, i) => {
    if (isReceiverStamped(o)) lastIndex.set(o.kind === 'meter' ? o.meter.topic : o.topic, i);
  });
  return outputs.filter(
    (o, i) => !isReceiverStamped(o) || lastIndex.get(o.kind === 'meter' ? o.meter.topic : o.topic) === i,
  );
}
