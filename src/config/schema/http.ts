import { z } from 'zod';

/** The HTTP face: JSON API, CSV exports, health checks, metrics (and the dashboard). */
export const HttpConfig = z
  .object({
    enabled: z.boolean().default(true).meta({ description: 'Serve the HTTP API and dashboard' }),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .meta({ text: true, description: 'Address to listen on; 0.0.0.0 exposes it beyond this machine' }),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8080)
      .meta({ description: 'TCP port (0: any free port)' }),
    trustProxy: z
      .boolean()
      .default(false)
      .meta({ description: 'Trust X-Forwarded-* headers (behind a reverse proxy that sets them)' }),
    sessionHours: z
      .number()
      .positive()
      .max(24 * 90)
      .default(12)
      .meta({ description: 'Lifetime of a browser session after sign-in, hours' }),
    secureCookie: z
      .boolean()
      .default(false)
      .meta({ description: 'Mark the session cookie Secure (set when served over HTTPS)' }),
    signInPerMinute: z
      .number()
      .int()
      .min(1)
      .default(10)
      .meta({ description: 'Sign-in attempts allowed per client address and minute' }),
    tokensFile: z.string().min(1).optional().meta({
      text: true,
      description:
        'Where the tokens created on first start are written (mode 0600); default <storage.dir>/tokens.txt',
    }),
    createTokens: z
      .boolean()
      .default(true)
      .meta({ description: 'On first start with no token, create one viewer and one operator token' }),
    metrics: z
      .object({
        open: z
          .boolean()
          .default(false)
          .meta({ description: 'Serve /metrics without a token (e.g. to a Prometheus on the same host)' }),
        perMeterUpTo: z.number().int().min(0).default(2000).meta({
          description:
            'Series per meter (readings_ingested_total{meter}, readings_rejected_total{meter,reason}) while the config has at most this many meters; past it, only the per-space totals, which are always there (a scrape of 100,000 meter series holds the service for about a second)',
        }),
      })
      .strict()
      .prefault({})
      .meta({ description: 'Prometheus /metrics' }),
  })
  .strict();
export type HttpConfig = z.infer<typeof HttpConfig>;
