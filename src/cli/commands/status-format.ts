import { z } from 'zod';
import { SavingsFigureJson } from '../../adapters/http/api-shapes.js';

/** The parts of the API's answers `quietwatt status` prints (docs/http-api.md). */
const MeterJson = z.object({ id: z.string(), lastReadingAt: z.string().nullable(), stale: z.boolean() });
const SensorJson = z.object({
  id: z.string(),
  kind: z.string(),
  value: z.number().nullable(),
  lastReadingAt: z.string().nullable(),
  stale: z.boolean(),
});
const DeviceJson = z.object({
  id: z.string(),
  kind: z.string(),
  commissioning: z.string(),
  ack: z.string(),
  handedBack: z.boolean(),
  setpoint: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  overrideUntil: z.string().nullable(),
  rejectedReports: z.number().default(0),
});
export const SpaceStatusJson = z.object({
  spaceId: z.string(),
  name: z.string().nullish(),
  type: z.string(),
  mode: z.string(),
  modeSource: z.string(),
  meters: z.array(MeterJson).default([]),
  sensors: z.array(SensorJson).default([]),
  devices: z.array(DeviceJson).default([]),
});
export type SpaceStatusJson = z.infer<typeof SpaceStatusJson>;

export const SiteStatusJson = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  now: z.string(),
  release: z.object({ fireAlarm: z.boolean(), operator: z.boolean() }).optional(),
  spaces: z.array(SpaceStatusJson),
});
export type SiteStatusJson = z.infer<typeof SiteStatusJson>;

/** A savings figure as the API answers it (one schema with the report page's). */
export const FigureJson = SavingsFigureJson;
export type FigureJson = SavingsFigureJson;

export const AlertJson = z.object({
  kind: z.string(),
  spaceId: z.string().nullable(),
  severity: z.string(),
  message: z.string(),
  since: z.string(),
});
export type AlertJson = z.infer<typeof AlertJson>;

export interface SiteReport {
  readonly site: SiteStatusJson;
  readonly month: readonly FigureJson[];
  readonly alerts: readonly AlertJson[];
}

const short = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');
const n1 = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

function figureLine(f: FigureJson): string {
  const label = f.kind === 'measured' ? 'measured' : 'would have saved (shadow)';
  if (f.nonRoutine.length > 0) return `${label}: not reported, non-routine: ${f.nonRoutine.join('; ')}`;
  const pm = f.interval
    ? `, ${Math.round(f.interval.confidence * 100)}% interval ±${n1((f.interval.highKWh - f.interval.lowKWh) / 2)} kWh`
    : ', no interval yet';
  return `${label}: ${n1(f.avoidedKWh)} kWh (${n1(f.avoidedShare * 100)} %), ${f.cost.toFixed(2)} ${f.currency}, ${n1(f.co2Kg)} kg CO2 [${f.method}${pm}${f.provisional ? ', provisional' : ''}]`;
}

/** Community figures only (the server's totals when present), one per kind and method. */
function communityFigures(figures: readonly FigureJson[]): FigureJson[] {
  const totals = figures.filter((f) => f.spaceId === null && f.endUse === null);
  return totals.length > 0 ? totals : figures.filter((f) => f.spaceId === null);
}

function deviceSummary(space: SpaceStatusJson): string {
  const acked = space.devices.filter((d) => d.ack === 'acknowledged').length;
  const overrides = space.devices.filter((d) => d.overrideUntil !== null).length;
  const stale = [...space.meters, ...space.sensors].filter((m) => m.stale).length;
  return [
    `${space.devices.length} device(s), ${acked} acknowledged`,
    overrides > 0 ? `${overrides} override(s)` : '',
    stale > 0 ? `${stale} stale input(s)` : 'inputs live',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Plain-text status of sites: mode per space, this month's savings, open alerts. */
export function formatSites(reports: readonly SiteReport[]): string[] {
  const lines: string[] = [];
  for (const { site, month, alerts } of reports) {
    lines.push(`${site.name} (${site.id})  local time ${short(site.now)}`);
    if (site.release?.fireAlarm) lines.push('  FIRE ALARM: every device is handed back to its own schedule');
    else if (site.release?.operator)
      lines.push('  RELEASED by an operator: every device follows its own schedule');
    const figures = communityFigures(month);
    if (figures.length === 0) lines.push('  this month: no savings figure yet');
    for (const f of figures) lines.push(`  this month, ${figureLine(f)}`);
    const width = Math.max(...site.spaces.map((s) => s.spaceId.length), 5);
    for (const s of site.spaces)
      lines.push(
        `  ${s.spaceId.padEnd(width)}  ${`${s.mode} (${s.modeSource})`.padEnd(20)} ${deviceSummary(s)}`,
      );
    lines.push(alerts.length === 0 ? '  no open alerts' : `  ${alerts.length} open alert(s):`);
    for (const a of alerts)
      lines.push(
        `    ${a.severity.padEnd(8)} ${a.kind.padEnd(20)} ${a.spaceId ?? '-'}  ${a.message} (since ${short(a.since)})`,
      );
  }
  return lines;
}

/** One space in detail: devices, meters and sensors. */
export function formatSpace(siteName: string, space: SpaceStatusJson): string[] {
  const lines = [
    `${siteName} / ${space.name ?? space.spaceId} (${space.spaceId}, ${space.type})`,
    `  mode ${space.mode}, set by ${space.modeSource === 'operator' ? 'an operator (wins until reset-mode)' : 'the config file'}`,
    '  devices:',
  ];
  for (const d of space.devices)
    lines.push(
      `    ${d.id} (${d.kind}): ${d.setpoint ?? 'no setpoint'}, ack ${d.ack}, commissioning ${d.commissioning}` +
        `${d.leaseUntil ? `, lease until ${short(d.leaseUntil)}` : ''}` +
        `${d.overrideUntil ? `, OVERRIDE until ${short(d.overrideUntil)}` : ''}` +
        `${d.rejectedReports > 0 ? `, ${d.rejectedReports} state report(s) REJECTED` : ''}` +
        `${d.handedBack ? ', handed back' : ''}`,
    );
  lines.push('  meters:');
  for (const m of space.meters)
    lines.push(`    ${m.id}: last reading ${short(m.lastReadingAt)}${m.stale ? ', STALE' : ''}`);
  lines.push('  sensors:');
  for (const s of space.sensors)
    lines.push(
      `    ${s.id} (${s.kind}): ${s.value ?? '-'} at ${short(s.lastReadingAt)}${s.stale ? ', STALE' : ''}`,
    );
  return lines;
}
