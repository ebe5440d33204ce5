import type { CommentFacts, Permission } from "../github/gateway.js";
import type { PlanComment } from "./planner.js";

const TRUSTED: ReadonlySet<Permission> = new Set(["write", "maintain", "admin"]);

/**
 * The comments a model may read: written by a human with write access, and neither created
 * nor edited after the trigger (an edit after `/architect plan` could smuggle instructions
 * past the person who asked). Unknown permission counts as none (fail closed).
 * A comment at exactly the trigger time is kept: it is usually the trigger itself.
 */
export function selectTrustedComments(
  comments: readonly CommentFacts[],
  permissions: ReadonlyMap<string, Permission>,
  triggerTime: number,
  botLogin: string,
): PlanComment[] {
  const bot = botLogin.toLowerCase();
  return comments
    .filter((c) => !c.authorIsBot && c.author.toLowerCase() !== bot)
    .filter((c) => c.createdAt <= triggerTime && c.updatedAt <= triggerTime)
    .filter((c) => TRUSTED.has(permissions.get(c.author) ?? "none"))
    .map((c) => ({ author: c.author, body: c.body }));
}
