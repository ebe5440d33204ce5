/**
 * Small, pure graph primitives over task keys. A graph is the list of keys (in plan
 * order) and each key's dependencies. Unknown dependency keys are ignored here; the
 * plan validator reports them.
 */
export interface TaskGraph {
  keys: readonly string[];
  dependsOn: ReadonlyMap<string, readonly string[]>;
}

export function buildGraph(tasks: readonly { key: string; depends_on?: readonly string[]; dependsOn?: readonly string[] }[]): TaskGraph {
  const keys = tasks.map((t) => t.key);
  const known = new Set(keys);
  const dependsOn = new Map<string, string[]>();
  for (const t of tasks) {
    const deps = t.depends_on ?? t.dependsOn ?? [];
    dependsOn.set(t.key, [...new Set(deps.filter((d) => known.has(d)))]);
  }
  return { keys, dependsOn };
}

/** Dependents of each key (the reverse edges). */
export function dependentsOf(graph: TaskGraph): Map<string, string[]> {
  const out = new Map<string, string[]>(graph.keys.map((k) => [k, []]));
  for (const key of graph.keys) for (const dep of graph.dependsOn.get(key) ?? []) out.get(dep)?.push(key);
  return out;
}

/**
 * One cycle as a closed path in dependency order, e.g. ["a", "b", "c", "a"] meaning
 * a depends on b, b on c, c on a. Null when the graph is acyclic. Deterministic: the
 * search starts from keys in plan order.
 */
export function findCycle(graph: TaskGraph): string[] | null {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (key: string): string[] | null => {
    state.set(key, "visiting");
    stack.push(key);
    for (const dep of graph.dependsOn.get(key) ?? []) {
      const s = state.get(dep);
      if (s === "visiting") return [...stack.slice(stack.indexOf(dep)), dep];
      if (s === undefined) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(key, "done");
    return null;
  };
  for (const key of graph.keys) {
    if (state.has(key)) continue;
    const found = visit(key);
    if (found) return found;
  }
  return null;
}

/** Keys in an order where every key comes after its dependencies (Kahn; ties in plan order). Null on a cycle. */
export function topologicalOrder(graph: TaskGraph): string[] | null {
  const remaining = new Map(graph.keys.map((k) => [k, (graph.dependsOn.get(k) ?? []).length]));
  const dependents = dependentsOf(graph);
  const order: string[] = [];
  const queue = graph.keys.filter((k) => remaining.get(k) === 0);
  while (queue.length > 0) {
    const key = queue.shift() as string;
    order.push(key);
    for (const d of dependents.get(key) ?? []) {
      const left = (remaining.get(d) ?? 0) - 1;
      remaining.set(d, left);
      if (left === 0) queue.push(d);
    }
  }
  return order.length === graph.keys.length ? order : null;
}

/** Depth of each key: 1 for a task without dependencies, else 1 + the deepest dependency. Null on a cycle. */
export function depths(graph: TaskGraph): Map<string, number> | null {
  const order = topologicalOrder(graph);
  if (!order) return null;
  const depth = new Map<string, number>();
  for (const key of order) {
    const deps = graph.dependsOn.get(key) ?? [];
    depth.set(key, 1 + Math.max(0, ...deps.map((d) => depth.get(d) ?? 0)));
  }
  return depth;
}

/**
 * For each key, the weight of the heaviest path from it to any sink, itself included
 * ("longest remaining path"). Scheduling the largest first keeps the critical path busy.
 * `weight` defaults to 1 per task; keys in `finished` weigh 0. Null on a cycle.
 */
export function longestRemainingPath(
  graph: TaskGraph,
  weight: (key: string) => number = () => 1,
  finished: ReadonlySet<string> = new Set(),
): Map<string, number> | null {
  const order = topologicalOrder(graph);
  if (!order) return null;
  const dependents = dependentsOf(graph);
  const result = new Map<string, number>();
  for (const key of [...order].reverse()) {
    const own = finished.has(key) ? 0 : weight(key);
    const tail = Math.max(0, ...(dependents.get(key) ?? []).map((d) => result.get(d) ?? 0));
    result.set(key, own + tail);
  }
  return result;
}

/** The heaviest path through the whole graph, from a source to a sink. Empty for an empty or cyclic graph. */
export function criticalPath(graph: TaskGraph, weight: (key: string) => number = () => 1): string[] {
  const remaining = longestRemainingPath(graph, weight);
  if (!remaining || graph.keys.length === 0) return [];
  const dependents = dependentsOf(graph);
  const best = (keys: readonly string[]) =>
    keys.reduce<string | null>((top, k) => (top === null || (remaining.get(k) ?? 0) > (remaining.get(top) ?? 0) ? k : top), null);
  const path: string[] = [];
  let current = best(graph.keys.filter((k) => (graph.dependsOn.get(k) ?? []).length === 0));
  while (current !== null) {
    path.push(current);
    current = best(dependents.get(current) ?? []);
  }
  return path;
}
