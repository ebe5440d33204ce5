import { z } from "zod";

/**
 * The one output schema every planner produces (markdown, Ollama, OpenAI).
 * It is also sent to models as a JSON Schema, so every field is required and
 * objects are closed (what OpenAI strict structured outputs demand).
 */

/** Task keys are stable across re-plans; they name branches and labels, so keep them simple. */
export const TaskKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "use 1-40 of a-z, 0-9 and '-', starting with a letter or digit");

export const PlannedTask = z
  .object({
    key: TaskKey,
    title: z.string().min(1).max(200),
    body: z.string().max(20_000),
    acceptance: z.array(z.string().max(500)).max(30),
    depends_on: z.array(z.string()).max(50),
    /** Agent name from the configured catalogue. */
    agent: z.string().max(32),
    /** Why this agent (shown in the preview). */
    agent_reason: z.string().max(500),
    labels: z.array(z.string().max(50)).max(10),
    /** Globs of the files this task may touch; overlapping scopes never run at once. */
    scope: z.array(z.string().max(200)).max(30),
    /** Rough size in agent-hours; drives priority and the makespan estimate. */
    estimate: z.number().min(0).max(1000),
  })
  .strict();
export type PlannedTask = z.infer<typeof PlannedTask>;

export const Plan = z
  .object({
    rationale: z.string().max(5_000),
    tasks: z.array(PlannedTask).max(100),
  })
  .strict();
export type Plan = z.infer<typeof Plan>;

/** Token use reported by a model provider for one plan (all attempts included). */
export interface PlanUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  usd: number;
}

/** One validation problem; `path` points into the plan, e.g. `tasks[2].depends_on`. */
export interface PlanIssue {
  code:
    | "schema"
    | "duplicate_key"
    | "unknown_dependency"
    | "self_dependency"
    | "cycle"
    | "too_many_tasks"
    | "too_deep"
    | "unknown_agent"
    | "overlapping_scope"
    | "invalid_scope"
    | "empty_plan";
  path: string;
  message: string;
  /** Warnings are shown but do not reject the plan (e.g. overlapping scopes, which only serialise tasks). */
  severity: "error" | "warning";
}
