import { z } from 'zod';
import { Topic } from './common.js';

/**
 * Home Assistant MQTT discovery of QuietWatt's own entities (docs/home-assistant.md). Off by
 * default; read at start (a change takes effect at the next start), while spaces follow reloads.
 */
export const HomeAssistantConfig = z
  .object({
    enabled: z.boolean().default(false).meta({
      description:
        'Publish MQTT discovery configs and states so Home Assistant shows each space and the service',
    }),
    discoveryPrefix: Topic.default('homeassistant').meta({
      description:
        "Home Assistant's discovery prefix; its birth message is expected on `<discoveryPrefix>/status`",
    }),
    commandsEnabled: z.boolean().default(false).meta({
      description:
        'Offer the mode select and the release/resume buttons, carried out from `<mqtt.topicPrefix>/ha/command/…`. Home Assistant cannot sign commands: protect that topic with broker ACLs',
    }),
    stateEverySeconds: z.number().int().min(10).max(3600).default(60).meta({
      description:
        'How often the entity states are published (also at start, after a command and after a reload)',
    }),
  })
  .strict();
export type HomeAssistantConfig = z.infer<typeof HomeAssistantConfig>;
