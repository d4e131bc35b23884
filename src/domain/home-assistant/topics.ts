/**
 * Where QuietWatt's Home Assistant entities live on MQTT. States and commands sit under QuietWatt's
 * own prefix (`<prefix>/ha/state/…`, `<prefix>/ha/command/…`), so a broker ACL can give Home
 * Assistant read access to the one subtree and write access to the other, and nothing else.
 */

/** Home Assistant's `node_id` and `object_id` allow `[a-zA-Z0-9_-]` only. */
export function discoveryNodeId(prefix: string): string {
  return prefix.replace(/[^a-zA-Z0-9_-]/g, '_');
}

export const HA_COMPONENTS = ['sensor', 'binary_sensor', 'select', 'button'] as const;
export type HaComponent = (typeof HA_COMPONENTS)[number];

/** `<discovery prefix>/<component>/<node id>/<object id>/config` (single component discovery). */
export function discoveryTopic(
  discoveryPrefix: string,
  component: HaComponent,
  nodeId: string,
  objectId: string,
): string {
  return `${discoveryPrefix}/${component}/${nodeId}/${objectId}/config`;
}

/** Where Home Assistant announces itself (`online` after a start, `offline` as its last will). */
export function haBirthTopic(discoveryPrefix: string): string {
  return `${discoveryPrefix}/status`;
}

/** One space's state, retained JSON. */
export function haSpaceStateTopic(prefix: string, siteId: string, spaceId: string): string {
  return `${prefix}/ha/state/${siteId}/${spaceId}`;
}

/**
 * The service's own state (released or not), retained JSON; one per instance where several share
 * the prefix (one level, so it never meets a space's `<site>/<space>`).
 */
export function haServiceStateTopic(prefix: string, instanceId?: string): string {
  return instanceId === undefined ? `${prefix}/ha/state/service` : `${prefix}/ha/state/service-${instanceId}`;
}

/** Root of the command topics; the ACL to protect is `<prefix>/ha/command/#`. */
export function haCommandRoot(prefix: string): string {
  return `${prefix}/ha/command`;
}

/** A space's mode select publishes the option (`off`, `shadow`, `active`) here. */
export function haModeCommandTopic(prefix: string, siteId: string, spaceId: string): string {
  return `${haCommandRoot(prefix)}/mode/${siteId}/${spaceId}`;
}

export const HA_SERVICE_ACTIONS = ['release', 'resume'] as const;
export type HaServiceAction = (typeof HA_SERVICE_ACTIONS)[number];

/** The service device's buttons publish `PRESS` here; an instance among several has its own. */
export function haServiceCommandTopic(prefix: string, action: HaServiceAction, instanceId?: string): string {
  const topic = `${haCommandRoot(prefix)}/${action}`;
  return instanceId === undefined ? topic : `${topic}/${instanceId}`;
}

/** What a command topic asks for, or undefined for any other topic. */
export function parseHaCommandTopic(
  prefix: string,
  topic: string,
):
  | { readonly kind: 'mode'; readonly siteId: string; readonly spaceId: string }
  | {
      readonly kind: 'service';
      readonly action: HaServiceAction;
      /** The instance whose button it is; undefined for a single instance's. */
      readonly instanceId: string | undefined;
    }
  | undefined {
  const root = `${haCommandRoot(prefix)}/`;
  if (!topic.startsWith(root)) return undefined;
  const parts = topic.slice(root.length).split('/');
  if (parts.length === 3 && parts[0] === 'mode' && parts[1] && parts[2])
    return { kind: 'mode', siteId: parts[1], spaceId: parts[2] };
  const action = HA_SERVICE_ACTIONS.find((a) => parts[0] === a);
  if (action === undefined) return undefined;
  if (parts.length === 1) return { kind: 'service', action, instanceId: undefined };
  return parts.length === 2 && parts[1] ? { kind: 'service', action, instanceId: parts[1] } : undefined;
}
