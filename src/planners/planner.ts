import type { AgentConfig, PlannerName } from "../core/config/config-schema.js";
import type { Plan, PlanIssue, PlanUsage } from "../core/plan/plan-schema.js";
import type { RepoContext } from "../github/gateway.js";

/**
 * The one planner interface. Every planner (markdown, Ollama, OpenAI) answers the same
 * request; the chain (plan-with-chain.ts) validates, repairs and fails over, so a planner
 * is only a transport to one model and never decides whether a plan is good.
 */

/** A comment that may reach a model: already filtered to trusted authors (see selectTrustedComments). */
export interface PlanComment {
  author: string;
  body: string;
}

/** Everything a planner may look at. Text fields are untrusted data; prompt.ts sanitises and fences them. */
export interface PlanRequest {
  milestone: { number: number; title: string; body: string };
  comments: PlanComment[];
  /** Null when planning offline (the CLI) or when the context could not be read. */
  repo: RepoContext | null;
  agents: AgentConfig[];
  defaultAgent: string;
  limits: { maxTasks: number; maxDepth: number };
  /** Replan: the current plan, and the keys of done/running tasks that must survive unchanged. */
  previous?: { plan: Plan; keepKeys: string[] };
}

/** One earlier answer that failed validation, and what was wrong with it; sent back for a repair. */
export interface RepairTurn {
  answer: string;
  problems: string;
}

/**
 * What one call to a planner produced.
 * - `answer`: a model's text, still to be parsed and validated (repairable by asking again);
 * - `plan`: a deterministic planner's plan object, validated but never repaired;
 * - `failed`: no usable answer (refusal, truncation, HTTP error, missing key): try the next provider.
 */
export type PlannerAttempt =
  | { kind: "answer"; text: string; usage: PlanUsage }
  | { kind: "plan"; plan: unknown; usage: PlanUsage | null }
  | { kind: "failed"; reason: string; usage: PlanUsage | null; issues?: PlanIssue[] };

/** A planner. `repairs` are the earlier invalid answers of this same conversation, oldest first. */
export interface Planner {
  readonly name: PlannerName;
  plan(req: PlanRequest, signal: AbortSignal, repairs?: readonly RepairTurn[]): Promise<PlannerAttempt>;
}

/** A chat message in the shape both OpenAI and Ollama accept. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}
