import type { SiteConfig } from '../../config/schema/site.js';
import type { CommandTarget } from '../../domain/commands/envelope.js';

/**
 * Why a command's target names nothing in the config in force, or undefined when every named site,
 * space and device exists (a device must be one QuietWatt controls: lighting or HVAC).
 */
export function unknownTarget(sites: readonly SiteConfig[], target: CommandTarget): string | undefined {
  if (target.siteId === undefined) {
    if (target.spaceId !== undefined || target.deviceId !== undefined)
      return 'a space or device needs its siteId';
    return undefined;
  }
  const site = sites.find((s) => s.id === target.siteId);
  if (!site) return `unknown site "${target.siteId}"`;
  if (target.spaceId === undefined) {
    return target.deviceId === undefined ? undefined : 'a deviceId needs its spaceId';
  }
  const space = site.spaces.find((s) => s.id === target.spaceId);
  if (!space) return `unknown space "${target.spaceId}" in site "${site.id}"`;
  if (target.deviceId === undefined) return undefined;
  const device = space.devices.find((d) => d.id === target.deviceId);
  if (!device) return `unknown device "${target.deviceId}" in space "${site.id}/${space.id}"`;
  if (device.kind !== 'lighting' && device.kind !== 'hvac')
    return `device "${target.deviceId}" is ${device.kind}: QuietWatt never controls it`;
  return undefined;
}

/**
 * Fills in a target's missing site (and space) when the named space or device exists in exactly
 * one place: device ids are unique across the config, so `{ deviceId }` alone names one device,
 * as the older MQTT commission payload allowed.
 */
export function completeTarget(sites: readonly SiteConfig[], target: CommandTarget): CommandTarget {
  if (target.siteId !== undefined && (target.spaceId !== undefined || target.deviceId === undefined))
    return target;
  const places = placesOf(sites, target);
  const [only] = places;
  if (places.length !== 1 || !only) return target;
  if (target.deviceId === undefined)
    return target.spaceId === undefined ? target : { ...target, siteId: only.siteId };
  return { ...target, siteId: only.siteId, spaceId: only.spaceId };
}

/**
 * Whether a command's target lies among these sites, for instances that share a broker and so
 * all receive every command: a named site held here, or (without a site) a space or device found
 * here. A target that names nothing is every instance's.
 */
export function targetHeld(sites: readonly SiteConfig[], target: CommandTarget): boolean {
  if (target.siteId !== undefined) return sites.some((s) => s.id === target.siteId);
  if (target.spaceId === undefined && target.deviceId === undefined) return true;
  return placesOf(sites, target).length > 0;
}

/** The spaces a target's site, space and device (each where given) fit, as (site, space) ids. */
function placesOf(
  sites: readonly SiteConfig[],
  target: CommandTarget,
): { readonly siteId: string; readonly spaceId: string }[] {
  return sites
    .filter((site) => target.siteId === undefined || site.id === target.siteId)
    .flatMap((site) =>
      site.spaces
        .filter((space) => target.spaceId === undefined || space.id === target.spaceId)
        .filter(
          (space) => target.deviceId === undefined || space.devices.some((d) => d.id === target.deviceId),
        )
        .map((space) => ({ siteId: site.id, spaceId: space.id })),
    );
}
