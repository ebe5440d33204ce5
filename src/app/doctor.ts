import type { ArchitectConfig } from "../core/config/config-schema.js";
import type { Snapshot } from "../core/decide/snapshot.js";
import { statusWarnings } from "../core/render/status-comment.js";
import type { GitHubGateway } from "../github/gateway.js";

/**
 * `/architect doctor`: check what Architect relies on and say plainly what is missing.
 * Reads only; the answer is a checklist.
 */
export async function runDoctor(gateway: GitHubGateway, snapshot: Snapshot, config: ArchitectConfig): Promise<string> {
  const lines: string[] = [];
  const ok = (text: string) => lines.push(`- ✅ ${text}`);
  const bad = (text: string) => lines.push(`- ❌ ${text}`);

  const warnings = statusWarnings(snapshot, config);
  const protection = snapshot.repo.protection;
  if (protection?.enabled && protection.requiredChecks.includes("architect/dag")) {
    ok(`\`${snapshot.repo.defaultBranch}\` is protected by ${mechanism(protection.sources)} and requires \`architect/dag\`.`);
    if (config.reviews.required_approvals > 0 && protection.requiredApprovals < 1) bad(`\`${snapshot.repo.defaultBranch}\` does not require approving reviews.`);
  }
  if (protection?.enabled) lines.push(...protectionNotes(protection));
  for (const warning of warnings) bad(warning);

  const workflows = [...new Set(config.agents.filter((a) => a.kind === "workflow").map((a) => a.workflow))];
  for (const workflow of workflows) {
    const text = await gateway.readFile(`.github/workflows/${workflow}`).catch(() => null);
    if (text === null) bad(`agent workflow \`.github/workflows/${workflow}\` is missing on \`${snapshot.repo.defaultBranch}\` (see docs/agents.md).`);
    else if (!/workflow_dispatch/.test(text)) bad(`\`.github/workflows/${workflow}\` has no \`workflow_dispatch\` trigger.`);
    else ok(`agent workflow \`${workflow}\` is installed.`);
  }
  ok(`configuration is valid (agents: ${config.agents.map((a) => `\`${a.name}\``).join(", ")}; planner chain ${config.planner.chain.join(" → ")}).`);
  if (!snapshot.control) lines.push("- ℹ️ no plan yet: comment `/architect plan`.");
  return ["**Architect doctor**", "", ...lines].join("\n");
}

function mechanism(sources: readonly ("classic" | "rulesets")[] | undefined): string {
  const has = new Set(sources ?? ["classic"]);
  if (has.has("classic") && has.has("rulesets")) return "classic branch protection and rulesets";
  return has.has("rulesets") ? "rulesets" : "classic branch protection";
}

/**
 * How the branch's rules shape merging, and whether `architect/dag` is pinned to this App:
 * unpinned, any App or workflow that reports a check of that name can satisfy it
 * (../shared/reference/github-platform.md §11).
 */
function protectionNotes(protection: NonNullable<Snapshot["repo"]["protection"]>): string[] {
  const notes: string[] = [];
  if (protection.mergeQueue) notes.push("- ℹ️ a merge queue is required: Architect adds ready PRs to it and reports `architect/dag` on each merge group.");
  if (protection.strict) notes.push("- ℹ️ branches must be up to date before merging.");
  if (!protection.requiredChecks.includes("architect/dag")) return notes;
  const pins = protection.dagCheckApp ?? {};
  const where = [
    ...(pins.rulesets !== undefined ? [{ how: "the ruleset's `integration_id`", app: pins.rulesets }] : []),
    ...(pins.classic !== undefined ? [{ how: "classic protection's `app_id`", app: pins.classic }] : []),
  ];
  for (const { how, app } of where) {
    if (app === null || app === -1) notes.push(`- ⚠️ \`architect/dag\` is not pinned to an App: set ${how} to this App's id, so that no other App or workflow can satisfy it.`);
    else notes.push(`- ✅ \`architect/dag\` is pinned to App id ${app} (${how}).`);
  }
  return notes;
}
