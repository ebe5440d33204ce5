import { describe, expect, it } from "vitest";
import { criticalPathLength, makespanLowerBound, tightLowerBound } from "../../bench/makespan/lower-bound.js";
import type { SimTask } from "../../bench/makespan/sim-task.js";

const t = (key: string, duration: number, dependsOn: string[] = []): SimTask => ({ key, duration, estimate: duration, dependsOn });

const fan = [t("s1", 3), t("s2", 3), t("s3", 3), t("j", 1, ["s1", "s2", "s3"]), t("u1", 3, ["j"]), t("u2", 3, ["j"]), t("u3", 3, ["j"])];

describe("lower bounds", () => {
  it.each<[string, SimTask[], number]>([
    ["single task", [t("a", 4)], 4],
    ["independent tasks: the longest", [t("a", 2), t("b", 5), t("c", 1)], 5],
    ["diamond takes the heavier branch", [t("a", 1), t("b", 2, ["a"]), t("c", 7, ["a"]), t("d", 1, ["b", "c"])], 9],
    ["fan through a join", fan, 7],
  ])("critical path: %s", (_name, tasks, length) => {
    expect(criticalPathLength(tasks)).toBe(length);
  });

  it.each<[string, SimTask[], number, { criticalPath: number; workOverCap: number; bound: number }]>([
    ["work dominates", [t("a", 2), t("b", 2), t("c", 2), t("d", 2)], 2, { criticalPath: 2, workOverCap: 4, bound: 4 }],
    ["chain dominates", [t("a", 5), t("b", 5, ["a"]), t("c", 1)], 4, { criticalPath: 10, workOverCap: 2.75, bound: 10 }],
    ["fan: 7 vs 19 / 2", fan, 2, { criticalPath: 7, workOverCap: 9.5, bound: 9.5 }],
  ])("simple bound: %s", (_name, tasks, cap, expected) => {
    expect(makespanLowerBound(tasks, cap)).toEqual(expected);
  });

  it.each<[string, SimTask[], number, number]>([
    // three 3s on two agents: two share an agent → 6, where work ÷ cap says 4.5
    ["pigeonhole", [t("a", 3), t("b", 3), t("c", 3)], 2, 6],
    // the join splits the fan into two pigeonhole segments: 6 + 1 + 6 (the optimum), where the simple bound says 9.5
    ["series cut at a join", fan, 2, 13],
    // nothing to tighten: the chain is the optimum
    ["chain", [t("a", 2), t("b", 4, ["a"]), t("c", 1, ["b"])], 3, 7],
    // never below the simple bound, rounded up: 9 ÷ 2 = 4.5 → 5
    ["rounds the work bound up", [t("a", 4), t("b", 4), t("c", 1)], 2, 5],
  ])("tight bound: %s", (_name, tasks, cap, bound) => {
    expect(tightLowerBound(tasks, cap)).toBe(bound);
  });

  it("rejects a cycle instead of reporting a number", () => {
    expect(() => criticalPathLength([t("a", 1, ["b"]), t("b", 1, ["a"])])).toThrow(/cycle/);
  });
});
