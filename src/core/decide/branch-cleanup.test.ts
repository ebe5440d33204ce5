import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { actsOnRunOutcome, type Effect } from "./effects.js";
import { makeConfig, makeControl, makePull, makeRun, makeSnapshot, makeTask, min, planTask } from "./test-builders.js";
import type { TaskFacts } from "./snapshot.js";

/**
 * Issue #10 §3: a claim branch whose task has ended is deleted (merged and not deleted by
 * GitHub, cancelled, replanned away, failed for good), never while a run works on it.
 */
const config = makeConfig({ retries: { max_attempts: 2 } });

function deletions(tasks: TaskFacts[], keys = tasks.map((t) => t.marker.key)): Extract<Effect, { kind: "deleteBranch" }>[] {
  const snapshot = makeSnapshot({ controlValue: makeControl(keys.map((k) => planTask(k))), tasks });
  return decide(snapshot, config, min(600)).effects.filter((e): e is Extract<Effect, { kind: "deleteBranch" }> => e.kind === "deleteBranch");
}

const merged = makePull(50, { state: "merged", headRef: "architect/2-task-a" });
const failedRun = (seq: number) => makeRun(2, seq, { conclusion: "failure" });

describe("claim branches of ended tasks", () => {
  it.each<{ name: string; task: TaskFacts; ended: string | null }>([
    { name: "merged, issue closed, branch still there", task: makeTask(2, "a", { claimed: true, pull: merged, issue: { state: "closed", stateReason: "completed" } }), ended: "closed" },
    { name: "closed as not planned (cancelled or replanned away)", task: makeTask(2, "a", { claimed: true, issue: { state: "closed", stateReason: "not_planned" } }), ended: "closed" },
    { name: "attempts exhausted and no PR", task: makeTask(2, "a", { claimed: true, runs: [failedRun(1), failedRun(2)] }), ended: "failed" },
    { name: "merged but the issue still open (it is closed first)", task: makeTask(2, "a", { pull: merged }), ended: null },
    { name: "attempts exhausted with an open PR (a person looks at it)", task: makeTask(2, "a", { runs: [failedRun(1), failedRun(2)], pull: makePull(50, { state: "open", headRef: "architect/2-task-a" }) }), ended: null },
    { name: "a retry pending", task: makeTask(2, "a", { claimed: true, runs: [failedRun(1)] }), ended: null },
    {
      name: "closed while a run still works on the branch",
      task: makeTask(2, "a", { claimed: true, issue: { state: "closed", stateReason: "not_planned" }, runs: [makeRun(2, 1, { status: "in_progress", conclusion: null })] }),
      ended: null,
    },
    { name: "running", task: makeTask(2, "a", { claimed: true, runs: [makeRun(2, 1, { status: "in_progress", conclusion: null, createdAt: min(590) })] }), ended: null },
    { name: "no branch", task: makeTask(2, "a", { issue: { state: "closed", stateReason: "completed" } }), ended: null },
  ])("$name → $ended", ({ task, ended }) => {
    const found = deletions([task]);
    expect(found).toEqual(ended ? [{ kind: "deleteBranch", task: 2, branch: "architect/2-task-a", ended }] : []);
  });

  it("a task replanned away while open has its branch deleted with the close (no run on it)", () => {
    const gone = makeTask(3, "b", { claimed: true, runs: [makeRun(3, 1, { conclusion: "failure" }), makeRun(3, 2, { conclusion: "failure" })] });
    const found = deletions([makeTask(2, "a"), gone], ["a"]);
    expect(found.map((e) => [e.task, e.branch])).toEqual([[3, "architect/3-task-b"]]);
  });

  it("deletes an open task's branch only on freshly listed runs; a closed task's needs no runs", () => {
    expect(actsOnRunOutcome({ kind: "deleteBranch", task: 2, branch: "b", ended: "failed" })).toBe(true);
    expect(actsOnRunOutcome({ kind: "deleteBranch", task: 2, branch: "b", ended: "cancelled" })).toBe(true);
    expect(actsOnRunOutcome({ kind: "deleteBranch", task: 2, branch: "b", ended: "closed" })).toBe(false);
  });
});
