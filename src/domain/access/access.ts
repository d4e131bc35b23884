/**
 * Access to the HTTP API: named, revocable tokens with a role and an optional list of sites.
 * Viewers read everything in their scope; operators also act.
 */
export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: the token's name goes into the audit of every command it sends. */
export interface Identity {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  /** Null: every site. */
  readonly sites: readonly string[] | null;
}

export function canAct(identity: Identity): boolean {
  return identity.role === 'operator';
}

export function canSeeSite(identity: Identity, siteId: string): boolean {
  return identity.sites === null || identity.sites.includes(siteId);
}

/** Token names are shown in the audit log and typed on the command line: keep them plain. */
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
