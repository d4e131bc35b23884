import type { SpaceMode } from '../../../config/schema/control.js';
import type { SiteConfig } from '../../../config/schema/site.js';
import type { SpaceHaState } from '../../../domain/home-assistant/states.js';
import type { ReleaseState } from '../../../domain/safety/context.js';
import { SAVINGS_METHODS } from '../../../domain/savings/ledger.js';
import type { SetpointValue } from '../../../domain/setpoints/contract.js';
import type { AlertReader } from '../../../ports/operations.js';
import type { IntervalStore, SavingsLedgerStore, SetpointAuditStore } from '../../../ports/stores.js';
import { parseValueJson } from '../../control/audit.js';
import { SpaceConsumption } from './space-consumption.js';

/** What the Home Assistant states are read from. */
export interface HaStateSources {
  spaceState(siteId: string, space: SiteConfig['spaces'][number], nowMs: number): SpaceHaState;
  released(): boolean;
  /** A space left the config: drop what was kept for it. */
  forget(siteId: string, spaceId: string): void;
}

export interface StoreStateSourcesDeps {
  readonly intervals: IntervalStore;
  readonly ledger: SavingsLedgerStore;
  readonly audit: SetpointAuditStore;
  readonly alerts: AlertReader;
  readonly modeOf: (siteId: string, spaceId: string) => SpaceMode;
  readonly control: {
    status(): readonly {
      readonly siteId: string;
      readonly spaceId: string;
      readonly deviceId: string;
      readonly handedBack: boolean;
      readonly lastSetpointId?: string;
      readonly leaseUntilMs?: number;
    }[];
    releaseState(): ReleaseState;
  };
}

const HOUR_MS = 3_600_000;

/** The states from the stores and the control loop, as the HTTP API shows them. */
export class StoreStateSources implements HaStateSources {
  private readonly consumption: SpaceConsumption;

  constructor(private readonly deps: StoreStateSourcesDeps) {
    this.consumption = new SpaceConsumption(deps.intervals);
  }

  spaceState(siteId: string, space: SiteConfig['spaces'][number], nowMs: number): SpaceHaState {
    const inForce = this.setpointsInForce(siteId, space.id, nowMs);
    return {
      energyKWh: this.consumption.totalKWh({ siteId, spaceId: space.id, meters: space.meters }, nowMs),
      savedKWh: this.savedKWh(siteId, space.id, nowMs),
      mode: this.deps.modeOf(siteId, space.id),
      alerts: this.deps.alerts.alerts({ siteId, spaceId: space.id, open: true }).map((a) => a.message),
      devices: space.devices
        .filter((d) => d.kind === 'lighting' || d.kind === 'hvac')
        .map((d) => {
          const value = inForce.get(d.id);
          return value === undefined ? { id: d.id, kind: d.kind } : { id: d.id, kind: d.kind, value };
        }),
    };
  }

  released(): boolean {
    const r = this.deps.control.releaseState();
    return r.operator || r.fireAlarm;
  }

  forget(siteId: string, spaceId: string): void {
    this.consumption.forget(siteId, spaceId);
  }

  /**
   * Measured savings to date by one method: the one covering more hours, since two methods over
   * the same hours would count the same savings twice. A `total` end use stands for the space.
   */
  private savedKWh(siteId: string, spaceId: string, nowMs: number): number | undefined {
    let best: { hours: number; kWh: number } | undefined;
    for (const method of SAVINGS_METHODS) {
      const totals = this.deps.ledger.sumLedger({
        kind: 'measured',
        method,
        fromMs: 0,
        toMs: nowMs + HOUR_MS,
        siteId,
        spaceId,
      });
      if (totals.length === 0) continue;
      const counted = totals.some((t) => t.endUse === 'total')
        ? totals.filter((t) => t.endUse === 'total')
        : totals;
      const hours = Math.max(...counted.map((t) => t.hours));
      const kWh = counted.reduce((s, t) => s + t.avoidedKWh, 0);
      if (best === undefined || hours > best.hours) best = { hours, kWh };
    }
    return best?.kWh;
  }

  /** Setpoints whose lease runs (a device handed back follows its own schedule: none). */
  private setpointsInForce(siteId: string, spaceId: string, nowMs: number): Map<string, SetpointValue> {
    const out = new Map<string, SetpointValue>();
    for (const d of this.deps.control.status()) {
      if (d.siteId !== siteId || d.spaceId !== spaceId || d.handedBack) continue;
      if (d.lastSetpointId === undefined || (d.leaseUntilMs ?? 0) <= nowMs) continue;
      const entry = this.deps.audit.get(d.lastSetpointId);
      const value = entry ? parseValueJson(entry.valueJson) : undefined;
      if (value) out.set(d.deviceId, value);
    }
    return out;
  }
}
