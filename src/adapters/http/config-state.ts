import type { QuietWattConfig } from '../../config/schema/index.js';

export interface RefusedReload {
  readonly atMs: number;
  readonly errors: readonly { readonly code: string; readonly message: string }[];
}

export interface ConfigSources {
  /** The config in force, when another part of the service tracks reloads. */
  readonly inForce?: () => Readonly<QuietWattConfig>;
  /** The last refused reload, when another part of the service records them. */
  readonly lastRefused?: () => RefusedReload | undefined;
  readonly now?: () => number;
}

/**
 * The config in force and the last reload that was refused, as the API shows them: read from the
 * service's own record when given, else from what is reported here.
 */
export class ConfigState {
  private config: Readonly<QuietWattConfig>;
  private loadedAtMs: number;
  private refused: RefusedReload | null = null;
  private readonly now: () => number;

  constructor(
    readonly file: string,
    initial: Readonly<QuietWattConfig>,
    private readonly sources: ConfigSources = {},
  ) {
    this.now = sources.now ?? Date.now;
    this.config = initial;
    this.loadedAtMs = this.now();
  }

  accepted(config: Readonly<QuietWattConfig>): void {
    this.config = config;
    this.loadedAtMs = this.now();
  }

  rejected(errors: readonly { readonly code: string; readonly message: string }[]): void {
    this.refused = { atMs: this.now(), errors: errors.map((e) => ({ code: e.code, message: e.message })) };
  }

  current(): Readonly<QuietWattConfig> {
    const source = this.sources.inForce?.();
    // A reload replaces the config object: note when it was first seen.
    if (source !== undefined && source !== this.config) this.accepted(source);
    return this.config;
  }

  loadedAt(): number {
    this.current();
    return this.loadedAtMs;
  }

  lastRefused(): RefusedReload | null {
    return this.sources.lastRefused?.() ?? this.refused;
  }
}
