import type { KeyValueStore } from '../ports/stores.js';

/** Settings key holding the id of the instance a store belongs to. */
export const STORE_INSTANCE_KEY = 'instance.id';

/** The store belongs to another instance: refused at start-up, before anything is written. */
export class StoreOfAnotherInstanceError extends Error {
  readonly code = 'QW_STORE_OF_ANOTHER_INSTANCE';
}

/**
 * A store holds the sites of one instance. The first start with an `instance.id` records it; a
 * later start of another instance on the same store (a copied config that kept its storage.dir,
 * a volume mounted on the wrong pod) is refused, since two instances writing one store would mix
 * their sites and fight over its write lock. A single instance (no id) records nothing, so a
 * deployment that grows from one instance to several gives its first instance an id and keeps
 * its store.
 */
export function claimStoreForInstance(
  settings: KeyValueStore,
  instanceId: string | undefined,
  storageDir: string,
): void {
  const recorded = settings.get(STORE_INSTANCE_KEY);
  if (recorded === undefined) {
    if (instanceId !== undefined) settings.set(STORE_INSTANCE_KEY, instanceId);
    return;
  }
  if (recorded === instanceId) return;
  const mine = instanceId === undefined ? 'has no instance.id' : `is instance "${instanceId}"`;
  throw new StoreOfAnotherInstanceError(
    `the store in ${storageDir} belongs to instance "${recorded}", and this config ${mine}: ` +
      `two instances never share a store. Point storage.dir at this instance's own folder, or set ` +
      `instance.id to "${recorded}" if this is that instance. Sites move between instances with ` +
      'quietwatt site export and import (docs/scaling.md).',
  );
}
