import OpenAI from "openai";
import type { PlanUsage } from "../core/plan/plan-schema.js";
import { planJsonSchema } from "./json-schema.js";
import type { Planner, PlannerAttempt, PlanRequest, RepairTurn } from "./planner.js";
import { buildPlanMessages } from "./prompt.js";
import { describeProviderError, quoteModelText, type Env } from "./provider-error.js";

/**
 * OpenAI chat completions with strict structured outputs. `OPENAI_BASE_URL` points the
 * same client at any compatible server (vLLM, llama.cpp server, LM Studio). The key and
 * URL come only from the App's environment, never from a repository's config.
 */

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface OpenAiPlannerOptions {
  env: Env;
  model: string;
  temperature: number;
  /** Per-request HTTP timeout; the chain's own deadline applies as well. */
  timeoutMs: number;
}

/** A planner backed by the official `openai` client. */
export function createOpenAiPlanner(options: OpenAiPlannerOptions): Planner {
  return {
    name: "openai",
    plan: (req, signal, repairs = []) => planWithOpenAi(options, req, signal, repairs),
  };
}

async function planWithOpenAi(
  options: OpenAiPlannerOptions,
  req: PlanRequest,
  signal: AbortSignal,
  repairs: readonly RepairTurn[],
): Promise<PlannerAttempt> {
  const apiKey = options.env.OPENAI_API_KEY?.trim() || undefined;
  const baseURL = options.env.OPENAI_BASE_URL?.trim() || DEFAULT_OPENAI_BASE_URL;
  const custom = baseURL !== DEFAULT_OPENAI_BASE_URL;
  if (!apiKey && !custom) {
    return { kind: "failed", reason: "OPENAI_API_KEY is not set in the App's environment", usage: null };
  }
  // Local compatible servers usually need no key, but the client insists on one.
  const client = new OpenAI({ apiKey: apiKey ?? "no-key", baseURL, timeout: options.timeoutMs, maxRetries: 0 });
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await client.chat.completions.create(
      {
        model: options.model,
        messages: buildPlanMessages(req, repairs),
        temperature: options.temperature,
        response_format: {
          type: "json_schema",
          json_schema: { name: "plan", strict: true, schema: planJsonSchema(req.agents.map((a) => a.name)) },
        },
      },
      { signal },
    );
  } catch (error) {
    return { kind: "failed", reason: describeProviderError(error, [apiKey]), usage: null };
  }
  const usage: PlanUsage = {
    provider: "openai",
    // Price by the configured name: responses carry dated snapshots ("gpt-4.1-mini-2025-04-14").
    model: options.model,
    inputTokens: completion.usage?.prompt_tokens ?? 0,
    outputTokens: completion.usage?.completion_tokens ?? 0,
    usd: 0,
  };
  const choice = completion.choices[0];
  if (!choice) return { kind: "failed", reason: "the response has no choices", usage };
  if (choice.message.refusal) return { kind: "failed", reason: `the model refused: ${quoteModelText(choice.message.refusal)}`, usage };
  if (choice.finish_reason === "length") return { kind: "failed", reason: "the answer was truncated (finish_reason: length)", usage };
  if (choice.finish_reason === "content_filter") return { kind: "failed", reason: "the answer was blocked by a content filter", usage };
  return { kind: "answer", text: choice.message.content ?? "", usage };
}
