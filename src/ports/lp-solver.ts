/** One linear program in CPLEX LP text, named so its answer can be matched. */
export interface LpRequest {
  readonly id: string;
  readonly lpText: string;
  /**
   * Run the solver's presolve first: worth it on long programs (a week in 5-minute blocks fails
   * without it on some inputs); a 96-slot plan solves faster without (the default).
   */
  readonly presolve?: boolean;
}

export interface LpSolution {
  readonly id: string;
  /** The solver's model status ("Optimal", "Infeasible", "Time limit reached", ...) or why none came. */
  readonly status: string;
  /** Primal value per column name (empty unless the solver produced a solution). */
  readonly columns: Readonly<Record<string, number>>;
  readonly solveMs: number;
}

/**
 * Solves linear programs away from the main thread. A batch shares one deadline: programs not
 * finished by it answer with a time-limit status, never by throwing, so the caller can fall back.
 */
export interface LpSolver {
  solve(requests: readonly LpRequest[], options: { readonly timeLimitMs: number }): Promise<LpSolution[]>;
  close(): Promise<void>;
}
