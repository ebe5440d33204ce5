import { afterEach, describe, expect, it } from "vitest";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { dagChecksOf, duplicates, pullOfTask, runsOfTask, stateLabelsOf, statusCommentOf, taskIssue, taskListBody, worldFacts } from "./invariants.js";

/**
 * The review loop, end to end: "changes requested" from an eligible reviewer re-runs the
 * agent on the same branch, until the reviewer approves or the cycles run out.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

describe("review feedback loops", () => {
  it("answers a change request with a review run on the same PR, then merges once approved", async () => {
    stack = await startStack({ actors: { reviewer: { byTask: { a: ["request_changes", "approve"] } } } });
    const run = await runMilestone(stack, { title: "A review loop that converges", body: taskListBody([{ key: "a" }]), timeoutMs: 20_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}:${t.merged}`)).toEqual(["a:done:true"]);
    const repo = stack.sandbox.repo;
    const runs = runsOfTask(repo, run.tasks[0]!.number);
    expect(runs.map((r) => [r.inputs.mode, r.conclusion])).toEqual([
      ["initial", "success"],
      ["review", "success"],
    ]);
    const pull = pullOfTask(repo, run.tasks[0]!.number)!;
    expect([...repo.pulls.values()].filter((p) => p.headRef === pull.headRef)).toHaveLength(1);
    const verdicts = pull.reviews.filter((r) => r.user.login === "reviewer").map((r) => r.state);
    expect(verdicts).toEqual(["CHANGES_REQUESTED", "APPROVED"]);
    const changesAt = pull.reviews.find((r) => r.state === "CHANGES_REQUESTED")!.submittedAt;
    expect(runs[1]!.createdAt).toBeGreaterThanOrEqual(changesAt);
    expect(duplicates(worldFacts(repo, run.milestone))).toEqual([]);
    expect(stack.sandbox.actorErrors).toEqual([]);
  });

  it("hands the task to a person after max_review_cycles and does not merge it", async () => {
    stack = await startStack({ repoConfig: "reviews:\n  max_review_cycles: 1\n", actors: { reviewer: { byTask: { a: ["request_changes"] } } } });
    const s = stack;
    const milestone = s.openMilestone("Review cycles exhausted", taskListBody([{ key: "a" }]));
    s.comment(milestone, "/architect plan");
    expect(await s.waitFor(() => stateLabelsOf(taskIssue(milestone, "a") ?? milestone).includes("architect:needs-human"), 20_000)).toBe(true);
    await s.clock.sleep(10 * 60_000);
    await s.settle(5_000);

    const a = taskIssue(milestone, "a")!;
    const repo = s.sandbox.repo;
    const runs = runsOfTask(repo, a.number);
    expect(runs.map((r) => r.inputs.mode)).toEqual(["initial", "review"]);
    const pull = pullOfTask(repo, a.number)!;
    expect(pull.merged).toBe(false);
    expect(pull.issue.state).toBe("open");
    expect(pull.reviews.filter((r) => r.state === "CHANGES_REQUESTED").length).toBe(2);
    expect(stateLabelsOf(a)).toEqual(["architect:needs-human"]);
    expect(dagChecksOf(repo, pull)[0]?.status).not.toBe("completed");
    expect(statusCommentOf(milestone) ?? "").toMatch(/1 of 1 review cycles/);
    expect(duplicates(worldFacts(repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });
});
