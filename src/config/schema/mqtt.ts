import { z } from 'zod';
import { EnvVarName, Topic, WildcardFilter } from './common.js';

export const MqttConfig = z
  .object({
    url: z
      .union([
        z.literal('embedded'),
        z
          .string()
          .regex(/^(mqtts?|wss?|tcp|ssl):\/\/.+/, '"embedded" or a broker URL such as mqtt://10.0.0.5:1883')
          .meta({ text: true }),
      ])
      .default('embedded')
      .meta({
        description:
          '"embedded" starts a broker inside QuietWatt; otherwise the broker URL, e.g. mqtt://10.0.0.5:1883',
      }),
    embeddedPort: z.number().int().min(1).max(65535).default(1884).meta({
      description: 'Loopback port of the embedded broker (1883 is often taken by a system Mosquitto)',
    }),
    clientId: z.string().min(1).max(64).optional().meta({
      text: true,
      description:
        'Stable client id: the broker keeps the persistent session under it. Default quietwatt, or quietwatt-<instance.id> when instance.id is set',
    }),
    usernameEnv: EnvVarName.optional().meta({
      description: 'Name of the environment variable holding the username (never the username itself)',
    }),
    passwordEnv: EnvVarName.optional().meta({
      description:
        'Name of the environment variable holding the password (never the password itself); with url: embedded, the embedded broker then requires it (and the username, if usernameEnv is set) of every client',
    }),
    tls: z
      .object({
        caFile: z.string().min(1).optional().meta({ text: true, description: 'CA certificate file (PEM)' }),
        certFile: z
          .string()
          .min(1)
          .optional()
          .meta({ text: true, description: 'Client certificate file (PEM)' }),
        keyFile: z
          .string()
          .min(1)
          .optional()
          .meta({ text: true, description: 'Client private key file (PEM)' }),
        rejectUnauthorized: z
          .boolean()
          .default(true)
          .meta({ description: 'Reject brokers whose certificate does not verify' }),
      })
      .strict()
      .optional()
      .meta({
        description:
          'TLS files for mqtts:// and wss:// brokers; relative paths are from the working directory',
      }),
    protocolVersion: z
      .union([z.literal(4), z.literal(5)])
      .default(5)
      .meta({ description: 'MQTT 3.1.1 (4) or 5' }),
    sessionExpirySeconds: z.number().int().min(0).default(86_400).meta({
      description: 'MQTT 5 session expiry: how long the broker queues QoS 1 messages while QuietWatt is away',
    }),
    topicPrefix: Topic.default('quietwatt').meta({ description: 'Prefix of the topics QuietWatt publishes' }),
    coveringFilters: z.array(WildcardFilter).max(1_000).default([]).meta({
      description:
        'Wildcard filters (e.g. site-a/meters/+) subscribed instead of each configured meter and sensor topic they cover: one subscription for thousands of topics, for a faster start and a smaller broker session on large sites. Messages on covered topics that nothing is configured for are acknowledged and dropped. Needs a restart',
    }),
    maxPayloadBytes: z
      .number()
      .int()
      .min(64)
      .default(16_384)
      .meta({ description: 'Larger payloads are rejected' }),
    commands: z
      .object({
        enabled: z.boolean().default(false).meta({
          description:
            'Take operator commands (release, resume, commission, modes) on <prefix>/command topics; off, they are not subscribed at all',
        }),
        secretEnv: EnvVarName.default('QUIETWATT_COMMAND_SECRET').meta({
          description:
            'Environment variable holding the secret that command messages are signed with (HMAC-SHA256); unset, the service keeps one in <storage.dir>/command-secret (owner-only), which the CLI on the same machine reads',
        }),
      })
      .strict()
      .prefault({})
      .meta({
        description:
          'Operator commands over MQTT: off unless enabled, then only signed messages with a sequence number that moves forward',
      }),
  })
  .strict();
export type MqttConfig = z.infer<typeof MqttConfig>;
