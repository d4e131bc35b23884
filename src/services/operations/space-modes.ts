import { z } from 'zod';
import type { ControlConfig } from '../../config/schema/control.js';
import { SPACE_MODES, type SpaceMode, spaceModeOf } from '../../domain/control/space-mode.js';
import type { Logger } from '../../ports/logger.js';
import type { KeyValueStore } from '../../ports/stores.js';
import type { SpaceModeResolver, SpaceModeStatus } from '../control/space-mode.js';

const OperatorMode = z.object({ mode: z.enum(SPACE_MODES), setBy: z.string(), setAtMs: z.number() });
const StoredModes = z.record(z.string(), OperatorMode);
type StoredModes = z.infer<typeof StoredModes>;

/** Settings key holding every operator mode as one JSON object keyed `site/space`. */
export const OPERATOR_MODES_KEY = 'operations.spaceModes';

/**
 * The rule: an operator's mode (set-mode) wins over the config file's until reset-mode removes it;
 * a config reload never overrides it, and it survives restarts (kept in the settings store).
 * Without one, the config file's mode (`control.spaces`, else `control.defaultMode`) applies.
 */
export class SpaceModes implements SpaceModeResolver {
  private readonly operator: StoredModes;

  constructor(
    private readonly settings: KeyValueStore,
    /** The control config in force (it changes on a reload). */
    private readonly control: () => ControlConfig,
    log: Logger,
  ) {
    this.operator = {};
    const raw = settings.get(OPERATOR_MODES_KEY);
    if (raw === undefined) return;
    try {
      const parsed = StoredModes.safeParse(JSON.parse(raw));
      if (parsed.success) this.operator = parsed.data;
      else log.error({ key: OPERATOR_MODES_KEY }, 'stored operator modes unreadable; config modes apply');
    } catch {
      log.error({ key: OPERATOR_MODES_KEY }, 'stored operator modes unreadable; config modes apply');
    }
  }

  /** The effective mode of a space under the config in force, and where it comes from. */
  modeOf(siteId: string, spaceId: string): SpaceModeStatus {
    return this.resolve(this.control(), siteId, spaceId);
  }

  resolve(control: ControlConfig, siteId: string, spaceId: string): SpaceModeStatus {
    const op = this.operator[`${siteId}/${spaceId}`];
    if (op) return { mode: op.mode, source: 'operator', setBy: op.setBy, setAtMs: op.setAtMs };
    return { mode: spaceModeOf(control, siteId, spaceId), source: 'config' };
  }

  /** Sets an operator's mode (persisted before it takes effect). */
  set(siteId: string, spaceId: string, mode: SpaceMode, setBy: string, atMs: number): void {
    const next = { ...this.operator, [`${siteId}/${spaceId}`]: { mode, setBy, setAtMs: atMs } };
    this.settings.set(OPERATOR_MODES_KEY, JSON.stringify(next));
    this.operator[`${siteId}/${spaceId}`] = { mode, setBy, setAtMs: atMs };
  }

  /** Removes an operator's mode; returns whether there was one. */
  reset(siteId: string, spaceId: string): boolean {
    const key = `${siteId}/${spaceId}`;
    if (!(key in this.operator)) return false;
    const next = { ...this.operator };
    delete next[key];
    this.settings.set(OPERATOR_MODES_KEY, JSON.stringify(next));
    delete this.operator[key];
    return true;
  }
}
