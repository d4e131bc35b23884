import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/parse.js';
import type { SiteConfig } from '../../../src/config/schema/site.js';
import { targetHeld } from '../../../src/services/operations/targets.js';
import { lobbySite } from '../../helpers/lobby-site.js';
import { minimalConfig } from '../config/helpers.js';

/** Two sites of one instance: the minimal config's (with its lighting device) and a lobby. */
function sites(): SiteConfig[] {
  const validated = validateConfig(minimalConfig(), 'test.yaml');
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
  const [first] = validated.config.sites;
  if (!first) throw new Error('the minimal config has no site');
  return [first, { ...lobbySite([{ id: 'm1', topic: 'qw/m1' }]), id: 'birch' }];
}

describe("targetHeld: whether a command is this instance's", () => {
  const held = sites();
  const siteId = held[0]?.id;
  const space = held[0]?.spaces.find((s) => s.devices.length > 0);
  const deviceId = space?.devices[0]?.id ?? 'missing';

  it('takes a named site it holds, and leaves one it does not', () => {
    expect(targetHeld(held, { siteId })).toBe(true);
    expect(targetHeld(held, { siteId: 'birch' })).toBe(true);
    expect(targetHeld(held, { siteId, spaceId: 'anything' })).toBe(true); // its own to refuse
    expect(targetHeld(held, { siteId: 'oak', spaceId: space?.id })).toBe(false);
  });

  it('without a site, takes a space or device found here, and a target that names nothing', () => {
    expect(targetHeld(held, {})).toBe(true);
    expect(targetHeld(held, { spaceId: space?.id })).toBe(true);
    expect(targetHeld(held, { spaceId: 'nowhere' })).toBe(false);
    expect(targetHeld(held, { deviceId })).toBe(true);
    expect(targetHeld(held, { spaceId: space?.id, deviceId })).toBe(true);
    expect(targetHeld(held, { deviceId: 'no-such-device' })).toBe(false);
  });
});
