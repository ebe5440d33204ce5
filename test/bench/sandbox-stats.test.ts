import { describe, expect, it } from "vitest";
import { parseTaskList } from "../../src/core/plan/parse-task-list.js";
import { createRng } from "../../bench/makespan/prng.js";
import { generateDag } from "../../bench/makespan/random-dag.js";
import { median, minimumTimeMs, pacedMinimumTimeMs, percentile, sequentialRoundTrips, slidingWindowMinimumMs, spread } from "../../bench/sandbox/stats.js";
import { chainTasks, renderTaskList } from "../../bench/sandbox/task-list.js";

describe("percentile", () => {
  const tens = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  it.each<[readonly number[], number, number]>([
    [tens, 50, 50],
    [tens, 99, 100],
    [tens, 10, 10],
    [[7], 99, 7],
    [[3, 1, 2], 50, 2],
  ])("%j p%i = %i", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it("is NaN for nothing measured", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("sequentialRoundTrips", () => {
  it.each<[string, { at: number; durationMs: number }[], number, number]>([
    ["one after another", [{ at: 0, durationMs: 1 }, { at: 10, durationMs: 1 }, { at: 20, durationMs: 1 }], 1, 3],
    ["two in flight together count once", [{ at: 0, durationMs: 5 }, { at: 2, durationMs: 5 }, { at: 20, durationMs: 1 }], 1, 2],
    // at 300× a 1 ms request spans 300 sandbox ms, so one arriving 100 sandbox ms later overlaps
    ["wall duration scaled to the sandbox clock", [{ at: 0, durationMs: 1 }, { at: 100, durationMs: 1 }], 300, 1],
    ["nothing", [], 1, 0],
  ])("%s", (_name, requests, speed, waves) => {
    expect(sequentialRoundTrips(requests, speed)).toBe(waves);
  });
});

describe("minimum time under the secondary limits", () => {
  it.each<[number, number, number]>([
    // count, count ÷ 80 a minute, sliding windows (first 80 at once)
    [40, 30_000, 0],
    [80, 60_000, 0],
    [81, 60_750, 60_000],
    [160, 120_000, 60_000],
    // 1000: 12.5 min at 80/min, but requests 500–999 wait for the next hour
    [1000, 3_600_000, 3_600_000],
    [0, 0, 0],
  ])("%i requests", (count, throughput, sliding) => {
    expect(minimumTimeMs(count)).toBe(throughput);
    expect(slidingWindowMinimumMs(count)).toBe(sliding);
  });

  it.each<[number, number]>([
    // count, max(count ÷ 80 a minute, (count − 1) s)
    [17, 16_000],
    [1, 750],
    [80, 79_000],
    [160, 159_000],
    [0, 0],
  ])("%i writes a second apart", (count, paced) => {
    expect(pacedMinimumTimeMs(count)).toBe(paced);
  });
});

describe("renderTaskList", () => {
  it("writes a task list the markdown planner reads back as the same DAG", () => {
    const { tasks } = generateDag(createRng(3), "layered", 20);
    const parsed = parseTaskList(renderTaskList(tasks), { defaultAgent: "claude" });
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("; "));
    expect(parsed.plan.tasks.map((t) => [t.key, [...t.depends_on].sort(), t.estimate])).toEqual(tasks.map((t) => [t.key, [...t.dependsOn].sort(), t.estimate]));
  });

  it("chains each step on the one before", () => {
    expect(chainTasks(3).map((t) => t.dependsOn)).toEqual([[], ["step-1"], ["step-2"]]);
  });
});

describe("median and spread", () => {
  it("takes the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("reports min, median, max and the number of runs", () => {
    expect(spread([5.9, 5.1, 5.4])).toEqual({ min: 5.1, median: 5.4, max: 5.9, runs: 3 });
  });
});
