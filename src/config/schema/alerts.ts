import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../domain/alerts/alert.js';
import { EnvVarName } from './common.js';

export const AlertWebhookConfig = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).meta({
      text: true,
      description:
        'Where each raised and cleared alert is POSTed as JSON (e.g. a WeCom, DingTalk or mail relay)',
    }),
    tokenEnv: EnvVarName.optional().meta({
      description:
        'Name of the environment variable holding a bearer token sent as `Authorization: Bearer …` (never the token itself)',
    }),
    minSeverity: z
      .enum(ALERT_SEVERITIES)
      .default('warning')
      .meta({ description: 'Alerts below this severity are not pushed (they are still recorded and shown)' }),
    timeoutSeconds: z
      .number()
      .min(1)
      .max(60)
      .default(10)
      .meta({ description: 'How long one POST may take before it counts as failed' }),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(4)
      .meta({ description: 'Attempts per alert, with doubling waits (2 s, 4 s, 8 s, …) between them' }),
  })
  .strict();
export type AlertWebhookConfig = z.infer<typeof AlertWebhookConfig>;

export const AlertsConfig = z
  .object({
    webhook: AlertWebhookConfig.optional().meta({
      description: 'Optional push of alerts to a webhook; without it alerts are only recorded and shown',
    }),
  })
  .strict();
export type AlertsConfig = z.infer<typeof AlertsConfig>;
