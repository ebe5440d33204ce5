import type { SimTask } from "./sim-task.js";

/**
 * The two classic lower bounds on the makespan of a DAG on `cap` identical machines:
 * nothing finishes before the heaviest dependency chain does, and `cap` agents cannot
 * do the total work faster than total ÷ cap. DESIGN.md's makespan budget is stated
 * against their maximum.
 */
export interface MakespanBound {
  criticalPath: number;
  workOverCap: number;
  /** max(criticalPath, workOverCap). */
  bound: number;
}

/** Lower bound on the makespan with true durations. Throws on a cycle (the generator never makes one). */
export function makespanLowerBound(tasks: readonly SimTask[], cap: number): MakespanBound {
  const criticalPath = criticalPathLength(tasks);
  const workOverCap = tasks.reduce((sum, t) => sum + t.duration, 0) / cap;
  return { criticalPath, workOverCap, bound: Math.max(criticalPath, workOverCap) };
}

/** Length by duration of the heaviest chain: the earliest any schedule with unlimited agents could finish. */
export function criticalPathLength(tasks: readonly SimTask[]): number {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const earliestFinish = (key: string): number => {
    const known = finish.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) throw new Error(`cycle through ${key}`);
    visiting.add(key);
    const task = byKey.get(key);
    if (!task) throw new Error(`unknown task ${key}`);
    const start = Math.max(0, ...task.dependsOn.map(earliestFinish));
    visiting.delete(key);
    finish.set(key, start + task.duration);
    return start + task.duration;
  };
  return Math.max(0, ...tasks.map((t) => earliestFinish(t.key)));
}

/**
 * A tighter lower bound, to tell "Architect is far from optimal" apart from "the simple
 * bound is loose". Three valid bounds, the largest wins, rounded up (integer durations
 * admit an optimal schedule with integer start times):
 * - threshold sets: tasks that cannot start before `a` and still have at least `b` of
 *   dependent work after them end no earlier than a + work ÷ cap, and the tail follows;
 * - pigeonhole: of the cap + 1 longest tasks two share an agent;
 * - series cuts: a task every other task is before or after (a fan-in/fan-out join)
 *   splits the DAG into segments that run one after another, so their bounds add up.
 */
export function tightLowerBound(tasks: readonly SimTask[], cap: number): number {
  const ancestors = ancestorsOf(tasks);
  const cuts = seriesCuts(tasks, ancestors);
  if (cuts.length === 0) return segmentBound(tasks, cap);
  let total = 0;
  let before = new Set<string>();
  for (const cut of [...cuts, null]) {
    const upTo = cut === null ? new Set(tasks.map((t) => t.key)) : ancestors.get(cut.key) ?? new Set<string>();
    const segment = tasks.filter((t) => upTo.has(t.key) && !before.has(t.key) && !cuts.includes(t));
    const inside = new Set(segment.map((t) => t.key));
    if (segment.length > 0) total += segmentBound(segment.map((t) => ({ ...t, dependsOn: t.dependsOn.filter((d) => inside.has(d)) })), cap);
    if (cut !== null) total += cut.duration;
    before = new Set([...upTo, ...(cut === null ? [] : [cut.key])]);
  }
  return Math.max(total, segmentBound(tasks, cap));
}

function segmentBound(tasks: readonly SimTask[], cap: number): number {
  const head = earliestStarts(tasks);
  const tail = tailsAfter(tasks);
  let best = makespanLowerBound(tasks, cap).bound;
  const longest = tasks.map((t) => t.duration).sort((x, y) => y - x);
  if (longest.length > cap) best = Math.max(best, (longest[cap - 1] as number) + (longest[cap] as number));
  const heads = [...new Set(head.values())];
  const tails = [...new Set(tail.values())];
  for (const a of heads) {
    for (const b of tails) {
      let work = 0;
      for (const t of tasks) if ((head.get(t.key) ?? 0) >= a && (tail.get(t.key) ?? 0) >= b) work += t.duration;
      if (work > 0) best = Math.max(best, a + work / cap + b);
    }
  }
  return Math.ceil(best - 1e-9);
}

/** Tasks comparable with every other task, in dependency order. */
function seriesCuts(tasks: readonly SimTask[], ancestors = ancestorsOf(tasks)): SimTask[] {
  const descendants = new Map<string, number>(tasks.map((t) => [t.key, 0]));
  for (const set of ancestors.values()) for (const a of set) descendants.set(a, (descendants.get(a) ?? 0) + 1);
  return tasks
    .filter((t) => (ancestors.get(t.key)?.size ?? 0) + (descendants.get(t.key) ?? 0) === tasks.length - 1)
    .sort((x, y) => (ancestors.get(x.key)?.size ?? 0) - (ancestors.get(y.key)?.size ?? 0));
}

/** Every task's transitive dependencies. */
function ancestorsOf(tasks: readonly SimTask[]): Map<string, Set<string>> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const result = new Map<string, Set<string>>();
  const visit = (key: string): Set<string> => {
    const known = result.get(key);
    if (known) return known;
    const set = new Set<string>();
    for (const d of byKey.get(key)?.dependsOn ?? []) {
      set.add(d);
      for (const a of visit(d)) set.add(a);
    }
    result.set(key, set);
    return set;
  };
  tasks.forEach((t) => visit(t.key));
  return result;
}

/** Longest path into each task, the task itself excluded. */
function earliestStarts(tasks: readonly SimTask[]): Map<string, number> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const start = new Map<string, number>();
  const visit = (key: string): number => {
    const known = start.get(key);
    if (known !== undefined) return known;
    const deps = byKey.get(key)?.dependsOn ?? [];
    const s = Math.max(0, ...deps.map((d) => visit(d) + (byKey.get(d)?.duration ?? 0)));
    start.set(key, s);
    return s;
  };
  tasks.forEach((t) => visit(t.key));
  return start;
}

/** Longest path out of each task, the task itself excluded. */
function tailsAfter(tasks: readonly SimTask[]): Map<string, number> {
  const dependents = new Map<string, SimTask[]>(tasks.map((t) => [t.key, []]));
  for (const t of tasks) for (const d of t.dependsOn) dependents.get(d)?.push(t);
  const tail = new Map<string, number>();
  const visit = (key: string): number => {
    const known = tail.get(key);
    if (known !== undefined) return known;
    const after = Math.max(0, ...(dependents.get(key) ?? []).map((d) => d.duration + visit(d.key)));
    tail.set(key, after);
    return after;
  };
  tasks.forEach((t) => visit(t.key));
  return tail;
}
