import { load as parse } from "js-yaml";

/**
 * Checks for the GitHub App manifest (`app.yml`): the events it subscribes to are exactly
 * the ones the app handles, and its permissions stay within the least-privilege set.
 * Exported for the lead's app tests, which know the handled events.
 */

/** The permissions Architect needs and the highest level it may ask for. */
export const ALLOWED_PERMISSIONS: Record<string, "read" | "write"> = {
  issues: "write",
  pull_requests: "write",
  checks: "write",
  contents: "write",
  actions: "write",
  statuses: "read",
  administration: "read",
  metadata: "read",
  merge_queues: "read",
};

/** What the manifest says. */
export interface AppManifest {
  events: string[];
  permissions: Record<string, string>;
}

/** Parse `app.yml` text into its events and permissions. */
export function readAppManifest(text: string): AppManifest {
  const doc = parse(text) as { default_events?: unknown; default_permissions?: unknown } | null;
  const events = Array.isArray(doc?.default_events) ? doc.default_events.map(String) : [];
  const permissions =
    doc?.default_permissions && typeof doc.default_permissions === "object"
      ? Object.fromEntries(Object.entries(doc.default_permissions as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
      : {};
  return { events, permissions };
}

/** Problems with a manifest: events nobody handles, events handled but not subscribed, excess permissions. */
export function checkAppManifest(manifest: AppManifest, handledEvents: readonly string[]): string[] {
  const problems: string[] = [];
  const handled = new Set(handledEvents);
  const subscribed = new Set(manifest.events);
  for (const event of manifest.events) if (!handled.has(event)) problems.push(`subscribes to '${event}' but no handler uses it`);
  for (const event of handledEvents) if (!subscribed.has(event)) problems.push(`handles '${event}' but does not subscribe to it`);
  for (const [name, level] of Object.entries(manifest.permissions)) {
    const allowed = ALLOWED_PERMISSIONS[name];
    if (!allowed) problems.push(`permission '${name}' is not needed`);
    else if (level !== "read" && level !== "write") problems.push(`permission '${name}' has unknown level '${level}'`);
    else if (allowed === "read" && level === "write") problems.push(`permission '${name}' must be read-only`);
  }
  return problems;
}
