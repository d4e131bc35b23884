import type { SensorKind } from '../model/community.js';
import type { SensorReading } from '../model/outputs.js';
import { round } from './meter-payload.js';

function rounded(kind: SensorKind, value: number | boolean): number | boolean {
  if (typeof value === 'boolean') return value;
  return kind === 'illuminance' ? Math.round(value) : round(value, 1);
}

const Z2M_FIELD: Record<SensorKind, string> = {
  occupancy: 'occupancy',
  'indoor-temperature': 'temperature',
  'outdoor-temperature': 'temperature',
  illuminance: 'illuminance',
};

/**
 * Sensor payloads: json `{"ts","value"}`, a bare number (occupancy as 1/0), or Zigbee2MQTT's object
 * with one field per kind the device senses (`occupancy`, `temperature` in °C, `illuminance` in lx).
 */
export function encodeSensorReading(r: SensorReading): string {
  const entries = Object.entries(r.values) as [SensorKind, number | boolean][];
  if (r.format === 'zigbee2mqtt') {
    const fields: Record<string, number | boolean> = {};
    for (const [kind, value] of entries) fields[Z2M_FIELD[kind]] = rounded(kind, value);
    return JSON.stringify(fields);
  }
  const first = entries[0];
  if (!first) throw new Error(`sensor reading on ${r.topic} carries no value`);
  const value = rounded(first[0], first[1]);
  if (r.format === 'json') return JSON.stringify({ ts: new Date(r.tMs).toISOString(), value });
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}
