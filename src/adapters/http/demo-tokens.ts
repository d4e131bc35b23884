import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AccessControl } from './auth/access-control.js';

export const DEMO_TOKEN_NAMES = { viewer: 'demo-viewer', operator: 'demo-operator' } as const;

/**
 * On first start (no token exists yet) one viewer and one operator token are created and written
 * to `file`, readable only by the service's user. The secrets never go to the log. Returns whether
 * tokens were created.
 */
export async function createFirstTokens(access: AccessControl, file: string): Promise<boolean> {
  if (access.hasTokens()) return false;
  const viewer = await access.createToken(DEMO_TOKEN_NAMES.viewer, 'viewer', null);
  const operator = await access.createToken(DEMO_TOKEN_NAMES.operator, 'operator', null);
  const text = [
    '# QuietWatt API tokens created on first start. Sign in to the dashboard with one of them,',
    '# or send it as `Authorization: Bearer <token>`. Revoke with `quietwatt token revoke NAME`.',
    `${DEMO_TOKEN_NAMES.viewer}\tviewer\t${viewer}`,
    `${DEMO_TOKEN_NAMES.operator}\toperator\t${operator}`,
    '',
  ].join('\n');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  // The mode option applies only when the file is created; an old file is narrowed too.
  chmodSync(file, 0o600);
  return true;
}
