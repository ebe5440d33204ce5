import type { Plan } from "../plan/plan-schema.js";
import type { TaskFacts } from "./snapshot.js";

/** Tasks in the plan's order (decide breaks ties by it); tasks the plan lacks last, by issue number. */
export function inPlanOrder(tasks: readonly TaskFacts[], plan: Plan | null): TaskFacts[] {
  const position = new Map((plan?.tasks ?? []).map((t, i) => [t.key, i] as const));
  const at = (t: TaskFacts) => position.get(t.marker.key) ?? Number.POSITIVE_INFINITY;
  return [...tasks].sort((a, b) => at(a) - at(b) || a.issue.number - b.issue.number);
}
