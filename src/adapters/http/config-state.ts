import type { QuietWattConfig } from '../../config/schema/index.js';

export interface RefusedReload {
  readonly atMs: number;
  readonly errors: readonly { readonly code: string; readonly message: string }[];
}

/**
 * The config in force and the last reload that was refused, as the API shows them. The config
 * watcher reports to it; it does nothing else.
 */
export class ConfigState {
  private config: Readonly<QuietWattConfig>;
  private loadedAtMs: number;
  private refused: RefusedReload | null = null;

  constructor(
    readonly file: string,
    initial: Readonly<QuietWattConfig>,
    private readonly now: () => number = Date.now,
    /** Where refused reloads are recorded when another part of the service keeps them. */
    private readonly external?: () => RefusedReload | undefined,
  ) {
    this.config = initial;
    this.loadedAtMs = now();
  }

  accepted(config: Readonly<QuietWattConfig>): void {
    this.config = config;
    this.loadedAtMs = this.now();
  }

  rejected(errors: readonly { readonly code: string; readonly message: string }[]): void {
    this.refused = { atMs: this.now(), errors: errors.map((e) => ({ code: e.code, message: e.message })) };
  }

  current(): Readonly<QuietWattConfig> {
    return this.config;
  }

  loadedAt(): number {
    return this.loadedAtMs;
  }

  lastRefused(): RefusedReload | null {
    return this.external?.() ?? this.refused;
  }
}
