import { describe, expect, it } from "vitest";
import { pickTasksToStart, remainingPathPriority, type RunningTask, type ScheduleCandidate, type ScheduleLimits } from "./schedule.js";

const limits: ScheduleLimits = { repo: 10, runningElsewhere: 0, milestone: 10, agentCaps: { claude: 10, codex: 1 } };
const cand = (key: string, over: Partial<ScheduleCandidate> = {}): ScheduleCandidate => ({ key, agent: "claude", scope: [], priority: 1, order: 0, ...over });
const run = (key: string, over: Partial<RunningTask> = {}): RunningTask => ({ key, agent: "claude", scope: [], ...over });

describe("pickTasksToStart", () => {
  it.each<{ name: string; candidates: ScheduleCandidate[]; running?: RunningTask[]; limits?: Partial<ScheduleLimits>; want: string[] }>([
    { name: "higher priority first, then plan order", candidates: [cand("a", { priority: 1, order: 0 }), cand("b", { priority: 3, order: 1 }), cand("c", { priority: 1, order: 2 })], want: ["b", "a", "c"] },
    { name: "the milestone cap counts running tasks", candidates: [cand("a"), cand("b")], running: [run("x")], limits: { milestone: 2 }, want: ["a"] },
    { name: "the repo cap counts other milestones' running tasks", candidates: [cand("a"), cand("b"), cand("c")], limits: { repo: 3, runningElsewhere: 1 }, want: ["a", "b"] },
    { name: "no slot at all starts nothing", candidates: [cand("a")], running: [run("x")], limits: { repo: 3, runningElsewhere: 2 }, want: [] },
    { name: "per-agent max_concurrent", candidates: [cand("a", { agent: "codex" }), cand("b", { agent: "codex" }), cand("c")], want: ["a", "c"] },
    { name: "per-agent cap counts the agent's running tasks", candidates: [cand("a", { agent: "codex" }), cand("b")], running: [run("x", { agent: "codex" })], want: ["b"] },
    { name: "an agent without a configured cap gets no slot", candidates: [cand("a", { agent: "ghost" })], want: [] },
    { name: "a scope overlapping a running task waits", candidates: [cand("a", { scope: ["src/db/**"] }), cand("b", { scope: ["src/ui/**"] })], running: [run("x", { scope: ["src/db/schema.ts"] })], want: ["b"] },
    { name: "two overlapping candidates never start together", candidates: [cand("a", { scope: ["src/**"], priority: 2 }), cand("b", { scope: ["src/api.ts"] })], want: ["a"] },
    { name: "empty scopes overlap nothing", candidates: [cand("a"), cand("b")], running: [run("x")], want: ["a", "b"] },
    { name: "a skipped task does not stop a smaller one behind it", candidates: [cand("a", { agent: "codex", priority: 5 }), cand("b", { priority: 1 })], running: [run("x", { agent: "codex" })], limits: { milestone: 2 }, want: ["b"] },
  ])("$name", ({ candidates, running = [], limits: over, want }) => {
    expect(pickTasksToStart(candidates, running, { ...limits, ...over }).map((c) => c.key)).toEqual(want);
  });
});

describe("remainingPathPriority", () => {
  it("weighs the heaviest chain of dependents, estimates at least 0.01, finished tasks 0", () => {
    // a -> b -> d ; a -> c ; estimates a=2, b=0 (counts 0.01), c=5, d=3
    const tasks = [
      { key: "a", dependsOn: [], estimate: 2 },
      { key: "b", dependsOn: ["a"], estimate: 0 },
      { key: "c", dependsOn: ["a"], estimate: 5 },
      { key: "d", dependsOn: ["b"], estimate: 3 },
    ];
    expect(Object.fromEntries(remainingPathPriority(tasks, new Set()))).toEqual({ a: 7, b: 3.01, c: 5, d: 3 });
    expect(Object.fromEntries(remainingPathPriority(tasks, new Set(["a"])))).toEqual({ a: 5, b: 3.01, c: 5, d: 3 });
  });

  it("keeps sub-hour estimates apart (they order tasks like hours do)", () => {
    const tasks = [
      { key: "quick", dependsOn: [], estimate: 0.1 },
      { key: "slow", dependsOn: [], estimate: 0.5 },
    ];
    const priority = remainingPathPriority(tasks, new Set());
    expect(priority.get("slow")).toBeGreaterThan(priority.get("quick") as number);
  });

  it("is all zeros on a cycle, leaving plan order to decide", () => {
    const tasks = [
      { key: "a", dependsOn: ["b"], estimate: 2 },
      { key: "b", dependsOn: ["a"], estimate: 2 },
    ];
    expect(Object.fromEntries(remainingPathPriority(tasks, new Set()))).toEqual({ a: 0, b: 0 });
  });
});
