import type { TaskState } from "../decide/effects.js";
import type { TaskFacts } from "../decide/snapshot.js";
import { buildGraph, topologicalOrder } from "../dag/graph.js";
import { requiredChecksState } from "./eligibility.js";
import { deriveTaskState, type TaskStateContext } from "./task-state.js";

/** The milestone-wide context; the per-dependency sets are filled in as states are derived. */
export type MilestoneStateContext = Omit<TaskStateContext, "done" | "failed" | "satisfied" | "issueNumbers">;

const FAILED_STATES = new Set<TaskState["state"]>(["failed", "needs-human", "cancelled"]);

/**
 * Derive every task's state, dependencies first, so each task sees its dependencies'
 * fresh states. On a cycle (a plan edited by hand) the snapshot order is used and a
 * dependency not derived yet simply counts as not done.
 */
export function deriveTaskStates(tasks: readonly TaskFacts[], base: MilestoneStateContext): Map<number, TaskState> {
  const issueNumbers = new Map<string, number>();
  for (const t of tasks) if (!issueNumbers.has(t.marker.key)) issueNumbers.set(t.marker.key, t.issue.number);
  const done = new Set<string>();
  const failed = new Set<string>();
  const satisfied = new Set<string>();
  const ctx: TaskStateContext = { ...base, issueNumbers, done, failed, satisfied };
  const states = new Map<number, TaskState>();
  for (const task of dependencyOrder(tasks)) {
    const derived = deriveTaskState(task, ctx);
    states.set(task.issue.number, derived);
    const key = task.marker.key;
    if (derived.state === "done") {
      done.add(key);
      satisfied.add(key);
    } else if (FAILED_STATES.has(derived.state)) {
      failed.add(key);
    } else if (base.config.advance_on === "checks" && derived.state === "review" && task.pull) {
      if (requiredChecksState(task.pull, base.protection) === "green") satisfied.add(key);
    }
  }
  return states;
}

/** Tasks ordered so dependencies come first; snapshot order on a cycle or among duplicate keys. */
export function dependencyOrder(tasks: readonly TaskFacts[]): TaskFacts[] {
  const first = new Map<string, TaskFacts>();
  for (const t of tasks) if (!first.has(t.marker.key)) first.set(t.marker.key, t);
  const order = topologicalOrder(buildGraph([...first.values()].map((t) => ({ key: t.marker.key, dependsOn: t.marker.dependsOn }))));
  if (order === null) return [...tasks];
  const ordered = order.map((k) => first.get(k) as TaskFacts);
  const placed = new Set(ordered);
  return [...ordered, ...tasks.filter((t) => !placed.has(t))];
}
