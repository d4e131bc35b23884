export interface HighsSolveOptions {
  readonly output_flag: false;
  readonly presolve: 'on' | 'off';
  readonly mip_rel_gap: number;
  readonly time_limit?: number;
}

export declare function highsOptions(options?: {
  readonly presolve?: boolean;
  readonly timeLimitS?: number;
}): HighsSolveOptions;
