import { SiteConfig } from '../../src/config/schema/site.js';

/** A site with one garage of `count` JSON total-energy meters, `m0`... on topics `qw/m0`... */
export function siteWithMeters(count: number): SiteConfig {
  return SiteConfig.parse({
    id: 'sunny',
    name: 'Sunny Gardens',
    timezone: 'Asia/Shanghai',
    spaces: [
      {
        id: 'garage',
        type: 'garage',
        areaM2: 900,
        meters: Array.from({ length: count }, (_, m) => ({
          id: `m${m}`,
          topic: `qw/m${m}`,
          measures: 'total',
          format: 'json',
        })),
      },
    ],
  });
}
