import type { ArchitectConfig, PlannerName } from "../core/config/config-schema.js";
import { createMarkdownPlanner } from "./markdown-planner.js";
import { createOllamaPlanner } from "./ollama-planner.js";
import { createOpenAiPlanner } from "./openai-planner.js";
import type { Planner } from "./planner.js";
import type { Env } from "./provider-error.js";

/**
 * Every planner, configured from the repository's config (models, temperature, timeout)
 * and the App's environment (keys, hosts). The composition root of planning: the App and
 * the CLI both call it, then hand the result to planWithChain.
 */
export function createPlanners(config: Pick<ArchitectConfig, "planner">, env: Env): Record<PlannerName, Planner> {
  const { planner } = config;
  return {
    markdown: createMarkdownPlanner(),
    ollama: createOllamaPlanner({ env, model: planner.ollama.model, temperature: planner.temperature }),
    openai: createOpenAiPlanner({
      env,
      model: planner.openai.model,
      temperature: planner.temperature,
      timeoutMs: planner.timeout_seconds * 1000,
    }),
  };
}
