import { formatPlanIssues } from "../core/plan/validate-plan.js";
import { parseTaskList } from "../core/plan/parse-task-list.js";
import type { Planner, PlannerAttempt, PlanRequest } from "./planner.js";

/**
 * The deterministic planner: the task list a person wrote in the milestone body is the
 * plan. No model, no tokens, no cost. The chain validates its plan like any other.
 */
export function createMarkdownPlanner(): Planner {
  return { name: "markdown", plan: async (req) => planFromMarkdown(req) };
}

function planFromMarkdown(req: PlanRequest): PlannerAttempt {
  const parsed = parseTaskList(req.milestone.body, { defaultAgent: req.defaultAgent });
  if (!parsed.ok) {
    return { kind: "failed", reason: `the task list is invalid:\n${formatPlanIssues(parsed.issues)}`, usage: null, issues: parsed.issues };
  }
  return { kind: "plan", plan: parsed.plan, usage: null };
}
