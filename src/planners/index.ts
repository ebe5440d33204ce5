/**
 * Planning, as the App and the CLI use it. Import from here rather than from the
 * individual files, so the planners can be reorganised without touching callers.
 */
export type { ChatMessage, PlanComment, Planner, PlannerAttempt, PlanRequest, RepairTurn } from "./planner.js";
export { planWithChain, type ChainFailure, type ChainOptions, type ChainResult } from "./plan-with-chain.js";
export { createPlanners } from "./create-planners.js";
export { createMarkdownPlanner } from "./markdown-planner.js";
export { createOllamaPlanner, DEFAULT_OLLAMA_HOST, type OllamaPlannerOptions } from "./ollama-planner.js";
export { createOpenAiPlanner, DEFAULT_OPENAI_BASE_URL, type OpenAiPlannerOptions } from "./openai-planner.js";
export { buildPlanMessages, repairPrompt, summarizeFiles } from "./prompt.js";
export { sanitizeUntrusted, DEFAULT_MAX_CHARS } from "../core/text/untrusted-text.js";
export { selectTrustedComments } from "./trusted-comments.js";
export { estimatePlanCostUsd, mergeUsage, priceUsage, totalUsage, unpricedModels, usd, type PriceTable } from "./cost.js";
export { planJsonSchema, type JsonSchema } from "./json-schema.js";
export { parseModelAnswer, type ParsedAnswer } from "./parse-answer.js";
export { describeProviderError, redactSecrets, type Env } from "./provider-error.js";
