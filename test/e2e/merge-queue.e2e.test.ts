import { afterEach, describe, expect, it } from "vitest";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { dagChecksOf, duplicates, pullOfTask, runsOfTask, taskListBody, worldFacts } from "./invariants.js";

/**
 * A default branch that requires a merge queue (a ruleset's `merge_queue` rule): direct
 * merges answer 405, so Architect enqueues each PR, reports `architect/dag` on every merge
 * group's head, GitHub (the emulator) merges green groups, and a group whose CI fails sends
 * the task back to its agent on the same branch.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

describe("a required merge queue", () => {
  // A failed group (the queue removes the PR) does not yet lead to a retry end to end: the task
  // stays "in the merge queue" (open in issue 12). This test covers the green path only.
  it("completes a milestone through the queue, reporting architect/dag on each group", async () => {
    stack = await startStack({
      repo: { mergeQueue: true },
      repoConfig: "retries:\n  backoff_seconds: 5\n",
    });
    const body = taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c" }]);
    const run = await runMilestone(stack, { title: "Through the merge queue", body, timeoutMs: 40_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}:${t.merged}`)).toEqual(["a:done:true", "b:done:true", "c:done:true"]);
    const repo = stack.sandbox.repo;
    for (const task of run.tasks) {
      const pull = pullOfTask(repo, task.number)!;
      // Merged by the queue, as its group's head: never by a direct merge.
      expect(pull.mergedBy?.login).toBe("github-merge-queue[bot]");
      const groupHead = repo.commits.get(pull.mergeCommitSha!)!;
      expect(groupHead.parents).toContain(pull.headSha);
      // architect/dag reported on the merge group that merged, by Architect.
      const onGroup = repo.checkRuns.filter((c) => c.headSha === pull.mergeCommitSha && c.name === "architect/dag");
      expect(onGroup.map((c) => [c.app.slug, c.conclusion])).toEqual([["architect", "success"]]);
      expect(dagChecksOf(repo, pull).length).toBeGreaterThan(0);
    }
    for (const task of run.tasks) expect(runsOfTask(repo, task.number).map((r) => r.inputs.mode)).toEqual(["initial"]);
    expect(repo.mergeQueue).toEqual([]);
    expect([...repo.branches.keys()].filter((name) => name.startsWith("gh-readonly-queue/"))).toEqual([]);
    // No PUT /merge or mergePullRequest was ever refused: Architect never merged directly.
    const refused = stack.sandbox.emulator.requestLog.entries.filter((e) => e.status === 405);
    expect(refused).toEqual([]);
    expect(duplicates(worldFacts(repo, run.milestone))).toEqual([]);
    expect(stack.sandbox.actorErrors).toEqual([]);
  }, 60_000);
});
