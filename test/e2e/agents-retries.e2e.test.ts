import { afterEach, describe, expect, it } from "vitest";
import { runMilestone, taskOutcomes } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { dispatchRequests, duplicates, runsOfTask, stateLabelsOf, statusCommentOf, taskIssue, taskListBody, worldFacts } from "./invariants.js";

/**
 * The failure loops, end to end: a failed attempt is retried after its backoff, attempts
 * run out into `failed` (and the dependents stay put), a stalled run is cancelled and
 * retried, and a dispatch whose run never appears is sent again exactly once.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

const sandboxMinutes = (s: Stack, minutes: number) => s.clock.sleep(minutes * 60_000);

describe("feedback loops for failing agent runs", () => {
  it("retries a failed attempt after the backoff, in retry mode on the same branch, and merges", async () => {
    stack = await startStack({ repoConfig: "retries:\n  backoff_seconds: 30\n", actors: { agent: { byTask: { a: ["fail", "success"] } } } });
    const run = await runMilestone(stack, { title: "A retry that succeeds", body: taskListBody([{ key: "a" }]), timeoutMs: 20_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}:${t.merged}`)).toEqual(["a:done:true"]);
    const runs = runsOfTask(stack.sandbox.repo, run.tasks[0]!.number);
    expect(runs.map((r) => [r.inputs.mode, r.inputs.attempt, r.conclusion])).toEqual([
      ["initial", "1", "failure"],
      ["retry", "2", "success"],
    ]);
    expect(runs[1]!.inputs.branch).toBe(runs[0]!.inputs.branch);
    // The first retry waits the configured backoff after the failure completed.
    expect(runs[1]!.createdAt - runs[0]!.updatedAt).toBeGreaterThanOrEqual(30_000);
    expect(duplicates(worldFacts(stack.sandbox.repo, run.milestone))).toEqual([]);
    expect(stack.sandbox.actorErrors).toEqual([]);
  });

  it("marks a task failed after max_attempts, never dispatches its dependent, and says so in the status comment", async () => {
    stack = await startStack({ repoConfig: "retries:\n  max_attempts: 2\n  backoff_seconds: 5\n", actors: { agent: { byTask: { a: ["fail"] } } } });
    const s = stack;
    const milestone = s.openMilestone("Attempts exhausted", taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"] }]));
    s.comment(milestone, "/architect plan");
    const taskA = () => taskIssue(milestone, "a");
    expect(await s.waitFor(() => stateLabelsOf(taskA() ?? milestone).includes("architect:failed"), 20_000)).toBe(true);
    // Well past another backoff and grace period: nothing else may start.
    await sandboxMinutes(s, 8);
    await s.settle(5_000);

    const a = taskA()!;
    const b = taskIssue(milestone, "b")!;
    const runsA = runsOfTask(s.sandbox.repo, a.number);
    expect(runsA.map((r) => [r.inputs.mode, r.conclusion])).toEqual([
      ["initial", "failure"],
      ["retry", "failure"],
    ]);
    expect(runsOfTask(s.sandbox.repo, b.number)).toEqual([]);
    expect([...s.sandbox.repo.branches.keys()].filter((n) => n.startsWith(`architect/${b.number}-`))).toEqual([]);
    // Failed for good without a PR: nothing will run on a's claim branch again, so it is gone.
    expect([...s.sandbox.repo.branches.keys()].filter((n) => n.startsWith(`architect/${a.number}-`))).toEqual([]);
    expect(stateLabelsOf(a)).toEqual(["architect:failed"]);
    expect(stateLabelsOf(b)).toEqual(["architect:blocked"]);
    expect(a.state).toBe("open");
    const status = statusCommentOf(milestone) ?? "";
    expect(status).toMatch(/❌ failed/);
    expect(status).toMatch(/2 of 2 attempts/);
    expect(status).toMatch(/dependency a failed/);
    expect(duplicates(worldFacts(s.sandbox.repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });

  it("/architect retry on a task that failed for good (its branch deleted) claims a new branch and finishes", async () => {
    stack = await startStack({ repoConfig: "retries:\n  max_attempts: 1\n  backoff_seconds: 5\n", actors: { agent: { byTask: { a: ["fail", "success"] } } } });
    const s = stack;
    const milestone = s.openMilestone("Retry after failing", taskListBody([{ key: "a" }]));
    s.comment(milestone, "/architect plan");
    const taskA = () => taskIssue(milestone, "a");
    const branchesOfA = () => [...s.sandbox.repo.branches.keys()].filter((n) => n.startsWith(`architect/${taskA()?.number}-`));
    const where = () => `labels ${stateLabelsOf(taskA() ?? milestone).join(",")}; branches ${branchesOfA().join(",")}; runs ${runsOfTask(s.sandbox.repo, taskA()?.number ?? 0).map((r) => `${r.inputs.mode}:${r.inputs.attempt}:${r.displayTitle}:${r.conclusion}`).join(",")}`;
    const failed = await s.waitFor(() => stateLabelsOf(taskA() ?? milestone).includes("architect:failed") && branchesOfA().length === 0, 20_000);
    expect(failed, where()).toBe(true);
    s.comment(milestone, `/architect retry #${taskA()!.number}`);
    const finished = await s.waitFor(() => taskOutcomes(milestone).every((t) => t.merged && t.state === "done"), 20_000);
    expect(finished, where()).toBe(true);
    await s.settle(5_000);
    const runs = runsOfTask(s.sandbox.repo, taskA()!.number);
    expect(runs.map((r) => [r.inputs.mode, r.conclusion])).toEqual([
      ["initial", "failure"],
      ["initial", "success"],
    ]);
    expect(branchesOfA()).toEqual([]);
    expect(duplicates(worldFacts(s.sandbox.repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  }, 60_000);

  it("cancels a run that stalls past run_minutes and retries it to a merge", async () => {
    stack = await startStack({
      repoConfig: "retries:\n  backoff_seconds: 5\ntimeouts:\n  run_minutes: 3\n",
      actors: { agent: { byTask: { a: ["stall", "success"] } } },
    });
    const run = await runMilestone(stack, { title: "A stalled run", body: taskListBody([{ key: "a" }]), timeoutMs: 20_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}:${t.merged}`)).toEqual(["a:done:true"]);
    const runs = runsOfTask(stack.sandbox.repo, run.tasks[0]!.number);
    expect(runs.map((r) => [r.inputs.mode, r.conclusion])).toEqual([
      ["initial", "cancelled"],
      ["retry", "success"],
    ]);
    // Cancelled for running too long, not earlier.
    expect(runs[0]!.updatedAt - runs[0]!.createdAt).toBeGreaterThanOrEqual(3 * 60_000);
    expect(duplicates(worldFacts(stack.sandbox.repo, run.milestone))).toEqual([]);
    expect(stack.sandbox.actorErrors).toEqual([]);
  });

  it("sends a lost dispatch again once, after the grace period, and completes without a duplicate run", async () => {
    stack = await startStack({ repoConfig: "timeouts:\n  dispatch_grace_minutes: 1\n" });
    const fault = stack.sandbox.emulator.addFault({ match: { route: /dispatches/ }, kind: "drop-run", times: 1 });
    const before = stack.sandbox.emulator.requestLog.entries.length;
    const run = await runMilestone(stack, { title: "A lost dispatch", body: taskListBody([{ key: "a" }]), timeoutMs: 20_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}:${t.merged}`)).toEqual(["a:done:true"]);
    expect(stack.sandbox.emulator.faults.firedCount(fault)).toBe(1);
    const sent = dispatchRequests(stack.sandbox.emulator.requestLog.entries.slice(before));
    expect(sent).toHaveLength(2);
    // The grace runs from the dispatch decision, a moment before the request (the claim is written first).
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(60_000 - 5_000);
    const runs = runsOfTask(stack.sandbox.repo, run.tasks[0]!.number);
    expect(runs.map((r) => [r.inputs.mode, r.conclusion])).toEqual([["initial", "success"]]);
    expect(duplicates(worldFacts(stack.sandbox.repo, run.milestone))).toEqual([]);
    expect(stack.sandbox.actorErrors).toEqual([]);
  });
});
