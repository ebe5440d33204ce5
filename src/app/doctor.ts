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
    ok(`\`${snapshot.repo.defaultBranch}\` is protected and requires \`architect/dag\`.`);
    if (config.reviews.required_approvals > 0 && protection.requiredApprovals < 1) bad(`\`${snapshot.repo.defaultBranch}\` does not require approving reviews.`);
  }
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
