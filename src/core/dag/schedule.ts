import { scopesOverlap } from "../scope/scope-overlap.js";
import { buildGraph, longestRemainingPath } from "./graph.js";

/**
 * Which ready tasks start now. Eager list scheduling: the task with the heaviest path
 * still ahead of it goes first (that keeps the critical path busy), ties in plan order,
 * and every cap and scope conflict is respected. A task that does not fit is skipped,
 * not waited for, so a smaller task behind it can still use a free slot.
 */

/** A task that could start. */
export interface ScheduleCandidate {
  key: string;
  agent: string;
  scope: readonly string[];
  /** Longest remaining path from this task (see `remainingPathPriority`); higher starts first. */
  priority: number;
  /** Position in the plan; lower starts first among equal priorities. */
  order: number;
}

/** A task that holds a slot (state running). */
export interface RunningTask {
  key: string;
  agent: string;
  scope: readonly string[];
}

export interface ScheduleLimits {
  /** `caps.repo`: running tasks allowed across the repository. */
  repo: number;
  /** Running tasks elsewhere in the repository (other milestones). */
  runningElsewhere: number;
  /** `caps.milestone`: running tasks allowed within this milestone. */
  milestone: number;
  /** Each agent's `max_concurrent`; an agent missing here gets no slots. */
  agentCaps: Readonly<Record<string, number>>;
}

/** Pick the candidates to start, in start order. */
export function pickTasksToStart(
  candidates: readonly ScheduleCandidate[],
  running: readonly RunningTask[],
  limits: ScheduleLimits,
): ScheduleCandidate[] {
  let slots = Math.min(limits.repo - limits.runningElsewhere - running.length, limits.milestone - running.length);
  const perAgent = new Map<string, number>();
  for (const r of running) perAgent.set(r.agent, (perAgent.get(r.agent) ?? 0) + 1);
  const busy: (readonly string[])[] = running.map((r) => r.scope);
  const picked: ScheduleCandidate[] = [];
  const ordered = [...candidates].sort((a, b) => b.priority - a.priority || a.order - b.order);
  for (const candidate of ordered) {
    if (slots <= 0) break;
    const used = perAgent.get(candidate.agent) ?? 0;
    if (used >= (limits.agentCaps[candidate.agent] ?? 0)) continue;
    if (busy.some((scope) => scopesOverlap(scope, candidate.scope))) continue;
    picked.push(candidate);
    perAgent.set(candidate.agent, used + 1);
    busy.push(candidate.scope);
    slots--;
  }
  return picked;
}

/** Estimates below an hour still order tasks; zero (unknown) must not erase a path. */
export const MIN_WEIGHT = 0.01;

/**
 * Each task's longest remaining path: its own weight (its estimate, at least MIN_WEIGHT)
 * plus the heaviest chain of dependents after it; finished tasks weigh 0. All zeros on a
 * cycle, which leaves plan order to decide.
 */

export function remainingPathPriority(
  tasks: readonly { key: string; dependsOn: readonly string[]; estimate: number }[],
  finished: ReadonlySet<string>,
): Map<string, number> {
  const estimates = new Map(tasks.map((t) => [t.key, t.estimate]));
  const graph = buildGraph(tasks);
  const result = longestRemainingPath(graph, (key) => Math.max(estimates.get(key) ?? 1, MIN_WEIGHT), finished);
  return result ?? new Map(tasks.map((t) => [t.key, 0]));
}
