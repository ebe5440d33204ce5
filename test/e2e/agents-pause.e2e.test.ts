import { afterEach, describe, expect, it } from "vitest";
import { taskOutcomes } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { botReplies, duplicates, pullOfTask, runsOfTask, taskIssue, taskListBody, worldFacts } from "./invariants.js";

/**
 * `/architect pause` stops new runs and merges (the run in progress finishes);
 * `/architect resume` picks the milestone up where it stood.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

describe("pause and resume", () => {
  it("neither dispatches nor merges while paused, then completes after resume", async () => {
    // The first run takes long enough for the pause to be recorded while it works.
    stack = await startStack({ actors: { agent: { durationMs: 10 * 60_000 } } });
    const s = stack;
    const repo = s.sandbox.repo;
    const milestone = s.openMilestone("Pause and resume", taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"] }]));
    s.comment(milestone, "/architect plan");
    expect(await s.waitFor(() => repo.runs.size >= 1, 20_000)).toBe(true);
    s.comment(milestone, "/architect pause");
    const answered = (pattern: RegExp) => botReplies(milestone).some((body) => pattern.test(body));
    expect(await s.waitFor(() => answered(/^Paused/m), 10_000)).toBe(true);

    const a = taskIssue(milestone, "a")!;
    const b = taskIssue(milestone, "b")!;
    expect(runsOfTask(repo, a.number).map((r) => r.status)).not.toContain("completed");
    // The run in progress finishes and its PR gets green checks and an approval: only the pause stops the merge.
    const approved = () => pullOfTask(repo, a.number)?.reviews.some((r) => r.state === "APPROVED") ?? false;
    expect(await s.waitFor(approved, 20_000)).toBe(true);
    const pausedAt = s.clock.now();
    await s.clock.sleep(15 * 60_000);
    await s.settle(5_000);
    const pull = pullOfTask(repo, a.number)!;
    expect(pull.merged).toBe(false);
    expect(runsOfTask(repo, a.number)).toHaveLength(1);
    expect(runsOfTask(repo, b.number)).toHaveLength(0);
    expect([...repo.runs.values()].filter((r) => r.createdAt >= pausedAt)).toEqual([]);
    expect(s.clock.now() - pausedAt).toBeGreaterThanOrEqual(15 * 60_000);

    s.comment(milestone, "/architect resume");
    const allDone = () => {
      const tasks = taskOutcomes(milestone);
      return tasks.length === 2 && tasks.every((t) => t.merged && t.state === "done");
    };
    expect(await s.waitFor(allDone, 20_000)).toBe(true);
    await s.settle(5_000);
    expect(answered(/^Resumed/m)).toBe(true);
    expect(pull.mergedAt!).toBeGreaterThan(pausedAt + 15 * 60_000);
    expect(duplicates(worldFacts(repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });
});
