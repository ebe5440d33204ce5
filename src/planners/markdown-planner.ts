import { formatPlanIssues } from "../core/plan/validate-plan.js";
import { checkTaskList } from "../core/plan/parse-task-list.js";
import type { Planner, PlannerAttempt, PlanRequest } from "./planner.js";

/**
 * The deterministic planner: the task list a person wrote in the milestone body is the
 * plan. No model, no tokens, no cost. It parses and validates in one go, so a person sees
 * every problem with its line at once; the chain validates its plan like any other.
 */
export function createMarkdownPlanner(): Planner {
  return { name: "markdown", plan: async (req) => planFromMarkdown(req) };
}

function planFromMarkdown(req: PlanRequest): PlannerAttempt {
  const checked = checkTaskList(req.milestone.body, {
    defaultAgent: req.defaultAgent,
    agents: req.agents.map((a) => a.name),
    maxTasks: req.limits.maxTasks,
    maxDepth: req.limits.maxDepth,
  });
  if (!checked.ok) {
    return { kind: "failed", reason: `the task list is invalid:\n${formatPlanIssues(checked.issues)}`, usage: null, issues: checked.issues };
  }
  return { kind: "plan", plan: checked.plan, usage: null };
}
