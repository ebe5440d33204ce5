import { describe, expect, it } from "vitest";
import { runMakespanBench, summariseMakespan, type MakespanCase } from "../../bench/makespan/makespan-bench.js";

const kase = (dag: number, cap: number, bound: number, makespan: Record<string, number>, tightBound = bound): MakespanCase => ({
  dag,
  shape: "random",
  size: 10,
  cap,
  criticalPath: bound,
  workOverCap: bound,
  bound,
  tightBound,
  makespan,
});

describe("summariseMakespan", () => {
  // Two DAGs, bound 10 and 20. A: 10 and 22 → ratios 1.0, 1.1. B: 12 and 20 → 1.2, 1.0.
  const cases = [kase(1, 2, 10, { A: 10, B: 12 }, 12), kase(2, 2, 20, { A: 22, B: 20 })];
  const { summaries, reachable } = summariseMakespan(cases, ["A", "B"]);

  it.each<[string, { meanRatio: number; maxRatio: number; within5: number; meanRatioToBest: number; meanRatioToTight: number; within5Tight: number }]>([
    // to best: DAG 1 best 10 (A), DAG 2 best 20 (B) → A: (1 + 1.1) / 2, B: (1.2 + 1) / 2
    // to tight: DAG 1 tight 12 → A 10/12, B 1.0; DAG 2 tight 20 → A 1.1, B 1.0
    ["A", { meanRatio: 1.05, maxRatio: 1.1, within5: 0.5, meanRatioToBest: 1.05, meanRatioToTight: (10 / 12 + 1.1) / 2, within5Tight: 0.5 }],
    ["B", { meanRatio: 1.1, maxRatio: 1.2, within5: 0.5, meanRatioToBest: 1.1, meanRatioToTight: 1, within5Tight: 1 }],
  ])("scheduler %s", (scheduler, expected) => {
    const s = summaries.find((x) => x.scheduler === scheduler);
    expect(s).toBeDefined();
    for (const [field, value] of Object.entries(expected)) expect(s?.[field as keyof typeof expected], field).toBeCloseTo(value, 9);
  });

  it("counts a DAG as reachable when any scheduler is within 5% of its bound", () => {
    expect(reachable).toEqual({ "2": 1 });
    const { reachable: none } = summariseMakespan([kase(1, 3, 10, { A: 11, B: 12 })], ["A", "B"]);
    expect(none).toEqual({ "3": 0 });
  });
});

describe("runMakespanBench", () => {
  it("is deterministic and never beats the lower bounds", () => {
    const options = { seed: 5, dagCount: 8, caps: [2, 4], minSize: 10, maxSize: 20 };
    const first = runMakespanBench(options);
    expect(runMakespanBench(options)).toEqual(first);
    expect(first.cases).toHaveLength(16);
    for (const c of first.cases) {
      expect(c.tightBound).toBeGreaterThanOrEqual(c.bound - 1e-9);
      for (const m of Object.values(c.makespan)) expect(m).toBeGreaterThanOrEqual(c.tightBound);
    }
  });
});
