import { z } from 'zod';
import { EnvVarName } from './common.js';

/**
 * The optional InfluxDB sink (docs/influxdb.md): interval energy, sensor values, forecasts,
 * setpoints with their acknowledgement, the savings ledger and rejected readings, written as line
 * protocol through an outbox in the SQLite store. Read at start; a change takes effect at the next.
 */
export const InfluxConfig = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).meta({
      text: true,
      description:
        'Base URL of the InfluxDB 2 server (or another server of its write API), e.g. http://influxdb:8086',
    }),
    org: z.string().min(1).meta({ text: true, description: 'Organization the bucket belongs to' }),
    bucket: z.string().min(1).meta({ text: true, description: 'Bucket the points are written to' }),
    tokenEnv: EnvVarName.optional().meta({
      text: true,
      description:
        'Name of the environment variable holding the API token with write access (never the token itself)',
    }),
    timeoutSeconds: z
      .number()
      .min(1)
      .max(120)
      .default(10)
      .meta({ description: 'How long one write request may take before it counts as failed' }),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(1000)
      .meta({ description: 'Points per write request' }),
    flushEverySeconds: z
      .number()
      .min(0.1)
      .max(60)
      .default(1)
      .meta({ description: 'How often queued points are moved to the outbox and sent (wall-clock time)' }),
    firstBackoffSeconds: z
      .number()
      .min(0.05)
      .max(600)
      .default(1)
      .meta({ description: 'Wait after a failed write; doubled after each further failure' }),
    maxBackoffSeconds: z
      .number()
      .min(0.05)
      .max(3600)
      .default(300)
      .meta({ description: 'Longest wait between attempts while the server does not take points' }),
    alertAfterSeconds: z.number().min(0).default(300).meta({
      description: 'Writes failing this long raise the export-unreachable alert',
    }),
    outbox: z
      .object({
        maxPoints: z.number().int().min(1000).default(1_000_000).meta({
          description:
            'Points the SQLite outbox holds while the server does not take them (about 250 bytes each in SQLite); beyond it the oldest are dropped and an alert is raised',
        }),
        maxDeadLetters: z.number().int().min(1).default(10_000).meta({
          description: 'Refused points kept in the dead-letter table; older ones are deleted',
        }),
      })
      .strict()
      .prefault({})
      .meta({ description: 'Bounds of the outbox and the dead-letter table' }),
  })
  .strict()
  .refine((c) => c.firstBackoffSeconds <= c.maxBackoffSeconds, {
    message: 'firstBackoffSeconds must not exceed maxBackoffSeconds',
    path: ['firstBackoffSeconds'],
  });
export type InfluxConfig = z.infer<typeof InfluxConfig>;
