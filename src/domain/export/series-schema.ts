/**
 * What the time-series sink writes: every measurement with its tags and fields. The single list
 * that docs/influxdb.md describes and that a test holds the Grafana dashboard's queries against.
 * Tags are bounded (one series per value); ids and free-text reasons are fields.
 */
export const SERIES_SCHEMA = {
  energy: {
    description: '15-minute interval energy per meter and end use, stamped at the interval start',
    tags: ['site', 'space', 'meter', 'end_use'],
    fields: { kwh: 'float', coverage: 'float', missing: 'boolean' },
  },
  sensor: {
    description: 'Every accepted sensor value, stamped at its reading time',
    tags: ['site', 'space', 'device', 'kind'],
    fields: { value: 'float' },
  },
  forecast: {
    description: 'Hourly energy forecast per space and end use, stamped at the hour it forecasts',
    tags: ['site', 'space', 'end_use'],
    fields: { kwh: 'float', horizon_h: 'float', model: 'string', model_version: 'float' },
  },
  occupancy_forecast: {
    description: 'Hourly probability that a space is occupied, stamped at the hour it forecasts',
    tags: ['site', 'space'],
    fields: { probability: 'float', horizon_h: 'float' },
  },
  setpoint: {
    description: 'Each setpoint decided, stamped at its decision; rewritten when published and acknowledged',
    tags: ['site', 'space', 'device', 'kind'],
    fields: {
      level_pct: 'float',
      setpoint_c: 'float',
      heat_setpoint_c: 'float',
      cool_setpoint_c: 'float',
      active: 'boolean',
      published: 'boolean',
      acknowledged: 'boolean',
      ack_delay_s: 'float',
      valid_minutes: 'float',
      setpoint_id: 'string',
      plan_id: 'string',
      mode: 'string',
      hvac_mode: 'string',
      reason: 'string',
    },
  },
  savings: {
    description: 'Hourly savings ledger per space and end use, stamped at the hour start',
    tags: ['site', 'space', 'end_use', 'kind', 'method', 'currency'],
    fields: {
      baseline_kwh: 'float',
      measured_kwh: 'float',
      avoided_kwh: 'float',
      cost: 'float',
      co2_kg: 'float',
      baseline_version: 'string',
    },
  },
  rejection: {
    description: 'Running count of rejected messages per source and reason, stamped when it grew',
    tags: ['site', 'space', 'meter', 'device', 'kind'],
    fields: { total: 'float' },
  },
} as const satisfies Record<string, SeriesSchemaEntry>;

export interface SeriesSchemaEntry {
  readonly description: string;
  readonly tags: readonly string[];
  readonly fields: Readonly<Record<string, 'float' | 'boolean' | 'string'>>;
}

export type Measurement = keyof typeof SERIES_SCHEMA;
export type TagOf<M extends Measurement> = (typeof SERIES_SCHEMA)[M]['tags'][number];
export type FieldOf<M extends Measurement> = keyof (typeof SERIES_SCHEMA)[M]['fields'];
