import { createHash } from "node:crypto";
import { planSourceRefusal, titleRenameRefusal, type EditorAccess } from "../core/commands/plan-source.js";
import type { IssueFacts } from "../core/decide/snapshot.js";
import type { GitHubGateway } from "../github/gateway.js";

const WRITERS = new Set(["admin", "maintain", "write"]);

/**
 * The milestone text a plan is built from, as a hash: stored in the control record, so
 * `/architect approve` approves only the text the preview was built from.
 */
export function planSourceHash(milestone: Pick<IssueFacts, "title" | "body">): string {
  return createHash("sha256").update(`${milestone.title}\n${milestone.body}`).digest("hex");
}

/**
 * Why the milestone's description or title may not be planned from (see core/commands/plan-source.ts),
 * or null. The last editor's (renamer's) access is looked up only when the rule needs it; a lookup error
 * counts as no access (fail closed), and so does a bot or an unknown editor.
 */
export async function checkPlanSource(gateway: GitHubGateway, milestone: IssueFacts, command: "plan" | "replan", commandAt: number): Promise<string | null> {
  const bodyRefusal = planSourceRefusal(milestone, command, commandAt, await accessOf(gateway, milestone.lastEdit ?? null, commandAt));
  if (bodyRefusal !== null) return bodyRefusal;
  return titleRenameRefusal(milestone, command, commandAt, await accessOf(gateway, milestone.titleRenames?.[0] ?? null, commandAt));
}

/** The access of whoever made `last` (an edit or a rename); an edit after the command counts as none. */
async function accessOf(gateway: GitHubGateway, last: { by: string; byBot: boolean; at: number } | null, commandAt: number): Promise<EditorAccess> {
  if (last === null) return null;
  if (last.at > commandAt) return "none";
  const permission = last.byBot ? "none" : await gateway.getPermission(last.by).catch(() => "none" as const);
  return WRITERS.has(permission) ? "write" : "none";
}
