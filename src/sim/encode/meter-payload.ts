import { naiveLocalIso } from '../model/calendar.js';
import type { MeterReading } from '../model/outputs.js';

/** Power factor of the simulated loads (LED drivers, inverter HVAC): only shapes the extra fields. */
const POWER_FACTOR = 0.95;

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function currentA(powerW: number, voltageV: number): number {
  return powerW > 0 ? powerW / (voltageV * POWER_FACTOR) : 0;
}

/**
 * Tasmota `tele/<name>/SENSOR`: `Time` is local wall-clock time without an offset; energies in kWh
 * with three decimals (EnergyRes 3), powers in whole watts.
 */
function tasmota(r: MeterReading, k: number): string {
  const powerW = r.powerW / k;
  const apparent = r.powerW > 0 ? r.powerW / POWER_FACTOR / k : 0;
  const reactive = r.powerW > 0 ? Math.sqrt(Math.max(0, apparent * apparent - powerW * powerW)) : 0;
  return JSON.stringify({
    Time: naiveLocalIso(r.tMs, r.meter.timezone),
    ENERGY: {
      TotalStartTime: '2024-01-01T00:00:00',
      Total: round(r.registerKWh / k, 3),
      Yesterday: round(r.yesterdayKWh / k, 3),
      Today: round(r.todayKWh / k, 3),
      Power: Math.round(powerW),
      ApparentPower: Math.round(apparent),
      ReactivePower: Math.round(reactive),
      Factor: r.powerW > 0 ? POWER_FACTOR : 0,
      Voltage: Math.round(r.voltageV),
      Current: round(currentA(r.powerW, r.voltageV), 3),
    },
  });
}

/**
 * Shelly Gen2 switch status (`<prefix>/status/switch:0`): `aenergy.total` in Wh, `by_minute` the
 * last three complete minutes in mWh, `minute_ts` the epoch second of the current minute.
 */
function shellyGen2(r: MeterReading, k: number): string {
  return JSON.stringify({
    id: 0,
    source: 'timer',
    output: r.powerW > 0,
    apower: round(r.powerW / k, 1),
    voltage: round(r.voltageV, 1),
    current: round(currentA(r.powerW, r.voltageV), 3),
    aenergy: {
      total: round((r.registerKWh * 1000) / k, 3),
      by_minute: [0, 1, 2].map((i) => round(((r.lastMinutesWh[i] ?? 0) * 1000) / k, 3)),
      minute_ts: Math.floor(r.tMs / 60_000) * 60,
    },
  });
}

/** Zigbee2MQTT metering plug or DIN meter: energy in kWh (two decimals), power in W. */
function zigbee2mqtt(r: MeterReading, k: number): string {
  return JSON.stringify({
    state: r.powerW > 0 ? 'ON' : 'OFF',
    power: Math.round(r.powerW / k),
    energy: round(r.registerKWh / k, 2),
    voltage: Math.round(r.voltageV),
    current: round(currentA(r.powerW, r.voltageV), 2),
  });
}

/** QuietWatt's generic JSON: ISO-8601 UTC timestamp; a power-only meter sends no register. */
function json(r: MeterReading, k: number): string {
  const ts = new Date(r.tMs).toISOString();
  if (r.meter.value === 'power') return JSON.stringify({ ts, powerW: round(r.powerW / k, 1) });
  return JSON.stringify({ ts, energyKWh: round(r.registerKWh / k, 4), powerW: round(r.powerW / k, 1) });
}

/** A bare number: the register for cumulative meters, the power for power meters. */
function number(r: MeterReading, k: number): string {
  return r.meter.value === 'power' ? String(round(r.powerW / k, 1)) : String(round(r.registerKWh / k, 4));
}

/**
 * The payload a real meter of the configured format would publish. Values are in the meter's raw
 * units: true value divided by its multiplier, since the service multiplies them back.
 */
export function encodeMeterReading(r: MeterReading): string {
  const k = r.meter.multiplier;
  switch (r.meter.format) {
    case 'tasmota':
      return tasmota(r, k);
    case 'shelly-gen2':
      return shellyGen2(r, k);
    case 'zigbee2mqtt':
      return zigbee2mqtt(r, k);
    case 'json':
      return json(r, k);
    case 'number':
      return number(r, k);
  }
}
