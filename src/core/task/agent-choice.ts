import type { AgentConfig, ArchitectConfig } from "../config/config-schema.js";
import type { TaskFacts } from "../decide/snapshot.js";
import { agentFromLabel } from "../../shared/labels.js";

/** Plan id of a single issue run because of its `agent:<name>` label (no milestone plan). */
export const SOLO_PLAN_ID = "solo";

/** The agent a task runs with, or the name that could not be resolved. */
export type AgentChoice = { ok: true; agent: AgentConfig } | { ok: false; name: string };

/**
 * Resolve a task's agent. A person's `agent:<name>` label wins over the plan, the plan
 * wins over the default; each step only counts when it names a configured agent, so a
 * stale label or plan falls back instead of stalling. When nothing resolves, the name a
 * person or the plan asked for is reported (a person has to fix the config or the label).
 */
export function effectiveAgent(task: TaskFacts, config: ArchitectConfig): AgentChoice {
  const byName = new Map(config.agents.map((a) => [a.name, a]));
  const labelled = task.issue.labels.map(agentFromLabel).filter((n): n is string => n !== null);
  // A single issue runs only because of its label: an unknown or removed label never falls back to the default.
  const wanted = task.marker.planId === SOLO_PLAN_ID ? labelled : [...labelled, task.marker.agent, config.default_agent].filter((n) => n !== "");
  for (const name of wanted) {
    const agent = byName.get(name);
    if (agent) return { ok: true, agent };
  }
  return { ok: false, name: wanted[0] ?? "" };
}
