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
