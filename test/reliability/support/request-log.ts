import type { RequestLogEntry } from "../../../src/sandbox/emulator/request-log.js";

/** The App's own requests (its bot and its JWT calls), not the scripted actors'. */
export function isAppRequest(entry: RequestLogEntry, botLogin = "architect[bot]"): boolean {
  return entry.actor === botLogin;
}

function isRead(entry: RequestLogEntry): boolean {
  return entry.method === "GET" || entry.endpoint === "POST /graphql (query)";
}

/**
 * IC-6: after a write whose outcome the App could not know (a fault answered it), the App
 * must look before it writes the same thing again. For each faulted write, the next App
 * request to the same endpoint must come after at least one App read. Returns violations.
 */
export function blindRepeats(entries: readonly RequestLogEntry[], faulted: (e: RequestLogEntry) => boolean): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    if (!faulted(entry) || !isAppRequest(entry) || isRead(entry)) return;
    const rest = entries.slice(i + 1).filter((e) => isAppRequest(e));
    const again = rest.findIndex((e) => e.endpoint === entry.endpoint);
    if (again < 0) return;
    if (!rest.slice(0, again).some(isRead)) problems.push(`${entry.endpoint} (${entry.fault}, status ${entry.status}) was sent again without a read in between`);
  });
  return problems;
}
