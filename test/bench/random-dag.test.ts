import { describe, expect, it } from "vitest";
import { createRng } from "../../bench/makespan/prng.js";
import { DAG_SHAPES, generateDag, type DagShape } from "../../bench/makespan/random-dag.js";
import { taskDepths } from "../../bench/makespan/policies.js";

const cases = DAG_SHAPES.flatMap((shape) => [1, 2, 3, 42].flatMap((seed) => [10, 33, 60].map((size) => [shape, seed, size] as [DagShape, number, number])));

describe("generateDag", () => {
  it.each(cases)("%s, seed %i, %i tasks: well-formed and in plan (topological) order", (shape, seed, size) => {
    const { tasks } = generateDag(createRng(seed), shape, size);
    expect(tasks).toHaveLength(size);
    expect(new Set(tasks.map((t) => t.key)).size).toBe(size);
    const seen = new Set<string>();
    for (const task of tasks) {
      // Each dependency is listed earlier: acyclic, and plan order is a valid start order.
      for (const dep of task.dependsOn) expect(seen.has(dep), `${task.key} depends on later ${dep}`).toBe(true);
      expect(new Set(task.dependsOn).size).toBe(task.dependsOn.length);
      expect(task.duration).toBeGreaterThanOrEqual(1);
      expect(task.duration).toBeLessThanOrEqual(10);
      expect(task.estimate).toBe(task.duration);
      seen.add(task.key);
    }
  });

  it("draws the same DAG from the same seed and a different one from another", () => {
    const draw = (seed: number) => generateDag(createRng(seed), "random", 40).tasks;
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it.each<[DagShape, (depth: number, size: number) => boolean]>([
    // a chain-of-chains is deep; a fan has at least a stage and a join
    ["chains", (depth, size) => depth >= size / 5],
    ["fan", (depth) => depth >= 2],
  ])("%s graphs have the depth their shape promises", (shape, ok) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { tasks } = generateDag(createRng(seed), shape, 40);
      const depth = Math.max(...taskDepths(tasks).values());
      expect(ok(depth, tasks.length), `seed ${seed}: depth ${depth}`).toBe(true);
    }
  });
});

describe("createRng", () => {
  it("stays within the asked range and covers it", () => {
    const rng = createRng(99);
    const draws = Array.from({ length: 2000 }, () => rng.int(1, 10));
    expect(Math.min(...draws)).toBe(1);
    expect(Math.max(...draws)).toBe(10);
  });
});
