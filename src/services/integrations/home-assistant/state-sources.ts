import type { SiteConfig } from '../../../config/schema/site.js';
import type { SpaceMode } from '../../../domain/control/space-mode.js';
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
/** The most the alert store returns at once; past that many open alerts, some spaces show fewer. */
const MAX_OPEN_ALERTS = 1000;

/** The states from the stores and the control loop, as the HTTP API shows them. */
export class StoreStateSources implements HaStateSources {
  private readonly consumption: SpaceConsumption;
  /** One read of the device status and the open alerts per publish (`nowMs`), not one per space. */
  private snapshot:
    | {
        readonly nowMs: number;
        readonly setpoints: Map<string, Map<string, SetpointValue>>;
        readonly alerts: Map<string, string[]>;
      }
    | undefined;

  constructor(private readonly deps: StoreStateSourcesDeps) {
    this.consumption = new SpaceConsumption(deps.intervals);
  }

  spaceState(siteId: string, space: SiteConfig['spaces'][number], nowMs: number): SpaceHaState {
    const snap = this.snapshotAt(nowMs);
    const key = `${siteId}/${space.id}`;
    const inForce = snap.setpoints.get(key) ?? new Map<string, SetpointValue>();
    return {
      energyKWh: this.consumption.totalKWh({ siteId, spaceId: space.id, meters: space.meters }, nowMs),
      savedKWh: this.savedKWh(siteId, space.id, nowMs),
      mode: this.deps.modeOf(siteId, space.id),
      alerts: snap.alerts.get(key) ?? [],
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

  private snapshotAt(nowMs: number) {
    if (this.snapshot?.nowMs === nowMs) return this.snapshot;
    const alerts = new Map<string, string[]>();
    for (const a of this.deps.alerts.alerts({ open: true, limit: MAX_OPEN_ALERTS })) {
      if (a.siteId === null || a.spaceId === null) continue;
      const key = `${a.siteId}/${a.spaceId}`;
      alerts.set(key, [...(alerts.get(key) ?? []), a.message]);
    }
    this.snapshot = { nowMs, setpoints: this.setpointsInForce(nowMs), alerts };
    return this.snapshot;
  }

  /** Setpoints whose lease runs, per space (a device handed back follows its own schedule: none). */
  private setpointsInForce(nowMs: number): Map<string, Map<string, SetpointValue>> {
    const out = new Map<string, Map<string, SetpointValue>>();
    for (const d of this.deps.control.status()) {
      if (d.handedBack || d.lastSetpointId === undefined || (d.leaseUntilMs ?? 0) <= nowMs) continue;
      const entry = this.deps.audit.get(d.lastSetpointId);
      const value = entry ? parseValueJson(entry.valueJson) : undefined;
      if (!value) continue;
      const key = `${d.siteId}/${d.spaceId}`;
      const space = out.get(key) ?? new Map<string, SetpointValue>();
      space.set(d.deviceId, value);
      out.set(key, space);
    }
    return out;
  }
}
