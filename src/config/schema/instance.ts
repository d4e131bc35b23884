import { z } from 'zod';
import { Id } from './common.js';

/**
 * Which instance of several sharing one broker this config is. Each instance's file lists only the
 * sites it serves: the assignment is written down, never computed, so adding an instance moves no
 * site (and no site's history) until an operator moves it (docs/scaling.md).
 */
export const InstanceConfig = z
  .object({
    id: Id.max(40, 'an instance id of at most 40 characters (it goes into the MQTT client id)')
      .optional()
      .meta({
        text: true,
        description:
          'Name of this instance when several share a broker: its client id defaults to quietwatt-<id> and its status topic is <prefix>/status/<id>. Unset: the only instance (client id quietwatt, status <prefix>/status)',
      }),
  })
  .strict();
export type InstanceConfig = z.infer<typeof InstanceConfig>;
