import { parseYaml } from "../shared/yaml.js";
import { AgentConfig, ArchitectConfig } from "../core/config/config-schema.js";

/** The file a repository configures Architect in, read from the default branch only. */
export const REPO_CONFIG_PATH = ".github/architect.yml";

/**
 * Find the agent a run was dispatched for. The config text must come from the default
 * branch (the commit the workflow runs from), never from the claim branch an agent wrote:
 * otherwise an agent could choose the command its next run executes.
 *
 * Agents not listed in the repository file fall back to the App's built-in agents (the
 * schema default), which is what the App itself does when the repository says nothing.
 * Throws with a user-facing message on an invalid file or an unknown agent.
 */
export function resolveAgent(configText: string | null, agentName: string): AgentConfig {
  const config = readRepoConfig(configText);
  const agent = config.agents.find((a) => a.name === agentName);
  if (!agent) {
    const known = config.agents.map((a) => a.name).join(", ");
    throw new Error(`agent '${agentName}' is not configured in ${REPO_CONFIG_PATH} (known: ${known})`);
  }
  if (agent.kind !== "workflow") throw new Error(`agent '${agentName}' is of kind '${agent.kind}', not a workflow agent`);
  return AgentConfig.parse(agent);
}

/** The repository's configuration over the built-in defaults; throws with a user-facing message when invalid. */
export function readRepoConfig(configText: string | null): ArchitectConfig {
  let raw: unknown = {};
  if (configText !== null && configText.trim() !== "") {
    const parsed = parseYaml(configText);
    if (!parsed.ok) throw new Error(`${REPO_CONFIG_PATH}: ${parsed.problem}`);
    raw = parsed.value ?? {};
  }
  const result = ArchitectConfig.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`${REPO_CONFIG_PATH} is invalid at '${first?.path.join(".") ?? ""}': ${first?.message ?? "unknown error"}`);
  }
  return result.data;
}
