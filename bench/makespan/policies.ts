import { lookaheadPicks, preferPicks } from "../../src/core/dag/lookahead.js";
import { pickTasksToStart, remainingPathPriority, type ScheduleCandidate } from "../../src/core/dag/schedule.js";
import type { SchedulerPolicy } from "./simulate.js";
import type { SimTask } from "./sim-task.js";

/**
 * The schedulers the benchmark compares. Architect's is the production code from
 * `src/core/dag/schedule.ts`, called the way `decide` calls it; the other two are the
 * usual alternatives a simpler orchestrator would use.
 */

/** Builds a policy for one DAG (some policies precompute per DAG, e.g. levels). */
export type PolicyFactory = (tasks: readonly SimTask[]) => SchedulerPolicy;

const AGENT = "agent";

/**
 * Architect: eager list scheduling by longest remaining path (weighted by each task's
 * estimate), ties in plan order, with the one-step lookahead of `lookaheadPicks`, through
 * the real `pickTasksToStart`, as `decide` calls them. One time unit is one agent-hour,
 * the estimates' unit, so a running task's remaining estimate is its estimate less the
 * time since it started. The cap is applied three ways at once (repository, milestone,
 * agent) as a one-agent configuration would; scopes are empty so the comparison is about
 * ordering alone.
 */
export const architectPolicy: PolicyFactory = (tasks) => {
  const graph = tasks.map((t) => ({ key: t.key, dependsOn: t.dependsOn, estimate: t.estimate }));
  const order = new Map(tasks.map((t, i) => [t.key, i]));
  const startedAt = new Map<string, number>();
  return ({ now, cap, ready, running, finished }) => {
    const priority = remainingPathPriority(graph, finished);
    const preferred = preferPicks(lookaheadPicks({
      tasks: graph,
      finished,
      running: running.map((t) => ({ key: t.key, remaining: t.estimate - (now - (startedAt.get(t.key) ?? now)) })),
      ready: ready.map((r) => r.task.key),
      priority,
      order,
      capacity: cap,
    }), priority);
    const candidates: ScheduleCandidate[] = ready.map((r) => ({ key: r.task.key, agent: AGENT, scope: [], priority: preferred.get(r.task.key) ?? 0, order: r.order }));
    const picked = pickTasksToStart(
      candidates,
      running.map((t) => ({ key: t.key, agent: AGENT, scope: [] })),
      { repo: cap, runningElsewhere: 0, milestone: cap, agentCaps: { [AGENT]: cap } },
    );
    for (const c of picked) startedAt.set(c.key, now);
    return picked.map((c) => c.key);
  };
};

/**
 * Level by level: tasks grouped by depth, a level starts only when every task of the
 * levels before it has finished; within a level, plan order, up to the cap.
 */
export const barrierPolicy: PolicyFactory = (tasks) => {
  const depth = taskDepths(tasks);
  return ({ cap, ready, running, finished }) => {
    const open = tasks.filter((t) => !finished.has(t.key)).map((t) => depth.get(t.key) ?? 0);
    const level = Math.min(...open);
    return ready
      .filter((r) => depth.get(r.task.key) === level)
      .sort((a, b) => a.order - b.order)
      .slice(0, Math.max(0, cap - running.length))
      .map((r) => r.task.key);
  };
};

/** FIFO: eager, ready tasks start in the order they became ready (ties in plan order), no priority. */
export const fifoPolicy: PolicyFactory = () => ({ cap, ready, running }) =>
  [...ready]
    .sort((a, b) => a.readyAt - b.readyAt || a.order - b.order)
    .slice(0, Math.max(0, cap - running.length))
    .map((r) => r.task.key);

/** 1 for a source, else 1 + the deepest dependency (the level a barrier scheduler runs it in). */
export function taskDepths(tasks: readonly SimTask[]): Map<string, number> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const depth = new Map<string, number>();
  const visit = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    const deps = byKey.get(key)?.dependsOn ?? [];
    const d = 1 + Math.max(0, ...deps.map(visit));
    depth.set(key, d);
    return d;
  };
  tasks.forEach((t) => visit(t.key));
  return depth;
}
