import type { QuietWattConfig } from '../config/schema/index.js';
import type { ConfigInForce } from './operations.js';

/**
 * The config in force, which an accepted reload replaces, and the sites whose time zones the
 * ledger cuts days in (replaced by the reload's first step, before the ledger realigns).
 */
export class LiveConfig implements ConfigInForce {
  private config: Readonly<QuietWattConfig>;
  private sites: QuietWattConfig['sites'];

  constructor(initial: Readonly<QuietWattConfig>) {
    this.config = initial;
    this.sites = initial.sites;
  }

  current(): Readonly<QuietWattConfig> {
    return this.config;
  }

  commit(next: Readonly<QuietWattConfig>): void {
    this.config = next;
  }

  useZonesOf(sites: QuietWattConfig['sites']): void {
    this.sites = sites;
  }

  readonly zoneOf = (siteId: string): string | undefined => this.sites.find((s) => s.id === siteId)?.timezone;
}
