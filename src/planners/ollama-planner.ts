import { Ollama } from "ollama";
import type { PlanUsage } from "../core/plan/plan-schema.js";
import { planJsonSchema } from "./json-schema.js";
import type { Planner, PlannerAttempt, PlanRequest, RepairTurn } from "./planner.js";
import { buildPlanMessages } from "./prompt.js";
import { describeProviderError, type Env } from "./provider-error.js";

/**
 * Ollama chat with structured output (`format` = the plan's JSON Schema). The host comes
 * only from the App's environment (`OLLAMA_HOST`), never from a repository's config.
 */

export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

export interface OllamaPlannerOptions {
  env: Env;
  model: string;
  temperature: number;
}

/** A planner backed by the official `ollama` client. */
export function createOllamaPlanner(options: OllamaPlannerOptions): Planner {
  return {
    name: "ollama",
    plan: (req, signal, repairs = []) => planWithOllama(options, req, signal, repairs),
  };
}

async function planWithOllama(
  options: OllamaPlannerOptions,
  req: PlanRequest,
  signal: AbortSignal,
  repairs: readonly RepairTurn[],
): Promise<PlannerAttempt> {
  const host = options.env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST;
  // The client passes no signal on non-streaming calls; a fetch wrapper lets the chain's deadline cancel it.
  const client = new Ollama({ host, fetch: (input, init) => globalThis.fetch(input, { ...init, signal }) });
  let response: Awaited<ReturnType<Ollama["chat"]>>;
  try {
    response = await client.chat({
      model: options.model,
      messages: buildPlanMessages(req, repairs),
      format: planJsonSchema(req.agents.map((a) => a.name)),
      stream: false,
      options: { temperature: options.temperature },
    });
  } catch (error) {
    return { kind: "failed", reason: describeProviderError(error, [options.env.OLLAMA_API_KEY]), usage: null };
  }
  const usage: PlanUsage = {
    provider: "ollama",
    model: options.model,
    inputTokens: response.prompt_eval_count ?? 0,
    outputTokens: response.eval_count ?? 0,
    usd: 0,
  };
  if (response.done_reason === "length") return { kind: "failed", reason: "the answer was truncated (done_reason: length)", usage };
  return { kind: "answer", text: response.message?.content ?? "", usage };
}
