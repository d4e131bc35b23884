/** Types of savings.js for the unit tests (the browser runs the .js as it is). */
export interface FigureLike {
  readonly spaceId: string | null;
  readonly endUse: string | null;
  readonly kind: string;
  readonly method: string;
  readonly baselineKWh: number;
  readonly actualKWh: number;
  readonly avoidedKWh: number;
  readonly avoidedShare: number;
  readonly cost: number;
  readonly co2Kg: number;
  readonly provisional: boolean;
  readonly nonRoutine: readonly string[];
  readonly provenance: readonly string[];
}
export function groupFigures<F extends FigureLike>(
  figures: readonly F[],
  options?: { spaceLevel?: boolean },
): F[];
