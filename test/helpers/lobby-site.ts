import { SiteConfig } from '../../src/config/schema/site.js';

/** One site in UTC with one lobby whose meters (JSON, total) report on the given topics. */
export function lobbySite(meters: readonly { readonly id: string; readonly topic: string }[]): SiteConfig {
  return SiteConfig.parse({
    id: 'site',
    name: 'Test site',
    timezone: 'UTC',
    spaces: [
      {
        id: 'lobby',
        type: 'lobby',
        areaM2: 100,
        meters: meters.map((m) => ({ id: m.id, topic: m.topic, measures: 'total', format: 'json' })),
      },
    ],
  });
}
