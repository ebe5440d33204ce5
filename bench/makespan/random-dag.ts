import type { Rng } from "./prng.js";
import type { SimTask } from "./sim-task.js";

/**
 * Random DAGs in the shapes real milestones take: layered work, parallel chains,
 * fan-out/fan-in around integration points, and unstructured graphs from sparse to dense.
 * One shape alone would flatter one scheduler (barriers look fine on neat layers, FIFO
 * looks fine on independent tasks), so the benchmark mixes them.
 */
export const DAG_SHAPES = ["layered", "chains", "fan", "random"] as const;

/** The family a random DAG is drawn from. */
export type DagShape = (typeof DAG_SHAPES)[number];

/** One generated benchmark case. */
export interface RandomDag {
  shape: DagShape;
  tasks: SimTask[];
}

/** Node i may only depend on nodes before it, so every draw is acyclic by construction. */
type Edges = number[][];

/** A DAG of `size` tasks of the given shape, durations 1–10, listed in a random topological (plan) order. */
export function generateDag(rng: Rng, shape: DagShape, size: number): RandomDag {
  const edges = SHAPES[shape](rng, size);
  const durations = edges.map(() => rng.int(1, 10));
  return { shape, tasks: relabel(rng, edges, durations) };
}

const SHAPES: Record<DagShape, (rng: Rng, n: number) => Edges> = {
  layered: (rng, n) => {
    const layerCount = rng.int(2, Math.min(8, n));
    // Every layer gets at least one task, the rest land anywhere.
    const layerOf = [...Array.from({ length: layerCount }, (_, l) => l), ...Array.from({ length: n - layerCount }, () => rng.int(0, layerCount - 1))].sort((a, b) => a - b);
    const members = (l: number) => layerOf.flatMap((x, i) => (x === l ? [i] : []));
    return layerOf.map((layer) => {
      if (layer === 0) return [];
      const deps = new Set([rng.pick(members(layer - 1))]);
      const earlier = layerOf.flatMap((x, i) => (x < layer ? [i] : []));
      for (let extra = rng.int(0, 2); extra > 0; extra--) deps.add(rng.chance(0.7) ? rng.pick(members(layer - 1)) : rng.pick(earlier));
      return [...deps];
    });
  },
  chains: (rng, n) => {
    const chainCount = rng.int(2, 5);
    const tail: (number | undefined)[] = Array.from({ length: chainCount }, () => undefined);
    return Array.from({ length: n }, (_, i) => {
      const chain = rng.int(0, chainCount - 1);
      const deps = new Set<number>();
      const last = tail[chain];
      if (last !== undefined) deps.add(last);
      // A few cross-links between chains, as when one stream needs another's API.
      if (i > 0 && rng.chance(0.15)) deps.add(rng.int(0, i - 1));
      tail[chain] = i;
      return [...deps];
    });
  },
  fan: (rng, n) => {
    // join → wide stage → join → wide stage …; some wide tasks form pairs (a short chain inside the fan).
    const edges: Edges = [];
    let join: number | undefined = rng.chance(0.5) ? 0 : undefined;
    if (join !== undefined) edges.push([]);
    while (edges.length < n) {
      const width = Math.min(rng.int(3, 15), n - edges.length);
      const stage: number[] = [];
      for (let w = 0; w < width; w++) {
        const i = edges.length;
        const deps = join === undefined ? [] : [join];
        if (stage.length > 0 && rng.chance(0.25)) deps.push(rng.pick(stage));
        edges.push(deps);
        stage.push(i);
      }
      if (edges.length >= n) break;
      join = edges.length;
      edges.push(stage);
    }
    return edges;
  },
  random: (rng, n) => {
    const p = rng.pick([0.02, 0.05, 0.1, 0.2, 0.35]);
    return Array.from({ length: n }, (_, i) => {
      const deps = Array.from({ length: i }, (_, j) => j).filter(() => rng.chance(p));
      // Real tasks rarely wait on more than a handful of others.
      while (deps.length > 5) deps.splice(rng.int(0, deps.length - 1), 1);
      return deps;
    });
  },
};

/** Renumber in a random topological order, so plan order carries no hint of the shape. */
function relabel(rng: Rng, edges: Edges, durations: readonly number[]): SimTask[] {
  const waiting = edges.map((deps) => deps.length);
  const dependents: number[][] = edges.map(() => []);
  edges.forEach((deps, i) => deps.forEach((d) => dependents[d]?.push(i)));
  const available = edges.flatMap((deps, i) => (deps.length === 0 ? [i] : []));
  const order: number[] = [];
  while (available.length > 0) {
    const node = available.splice(rng.int(0, available.length - 1), 1)[0] as number;
    order.push(node);
    for (const d of dependents[node] ?? []) if (--(waiting[d] as number) === 0) available.push(d);
  }
  const key = new Map(order.map((node, i) => [node, `t${i + 1}`]));
  return order.map((node) => {
    const duration = durations[node] as number;
    return { key: key.get(node) as string, dependsOn: (edges[node] ?? []).map((d) => key.get(d) as string), duration, estimate: duration };
  });
}
