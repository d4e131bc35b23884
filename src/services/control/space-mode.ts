import type { ControlConfig } from '../../config/schema/control.js';
import { type SpaceMode, spaceModeOf } from '../../domain/control/space-mode.js';

/** Where a space's mode comes from. */
export type SpaceModeSource = 'operator' | 'config';

export interface SpaceModeStatus {
  readonly mode: SpaceMode;
  readonly source: SpaceModeSource;
  /** Operator modes only: who set it (the token's name, `cli`, `mqtt`) and when. */
  readonly setBy?: string;
  readonly setAtMs?: number;
}

/**
 * Resolves a space's mode under a given control config (the control loop compares two on a
 * reload). Defined here, by the control loop that reads it, so that the operations folder, which
 * implements it with operator modes, depends on control and not the other way round.
 */
export interface SpaceModeResolver {
  resolve(control: ControlConfig, siteId: string, spaceId: string): SpaceModeStatus;
}

/** The config file's modes alone: services run without operator modes (tests, benches). */
export const configModes: SpaceModeResolver = {
  resolve: (control, siteId, spaceId) => ({ mode: spaceModeOf(control, siteId, spaceId), source: 'config' }),
};
