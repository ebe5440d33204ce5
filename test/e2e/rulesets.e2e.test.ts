import { afterEach, describe, expect, it } from "vitest";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { botReplies, duplicates, pullOfTask, taskListBody, worldFacts } from "./invariants.js";

/**
 * The default branch is protected by a ruleset (required checks, one approval), with no
 * classic branch protection at all: Architect reads the rules that apply to the branch,
 * completes the milestone, and `/architect doctor` says which mechanism protects it and
 * that `architect/dag` is not pinned to the App.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

describe("rulesets instead of classic branch protection", () => {
  it("completes a milestone under a ruleset and doctor names the mechanism and the missing pin", async () => {
    stack = await startStack({ repo: { protection: "rulesets" } });
    const repo = stack.sandbox.repo;
    expect(repo.protections.size).toBe(0);
    const run = await runMilestone(stack, { title: "Under a ruleset", body: taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"] }]), timeoutMs: 40_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}:${t.merged}`)).toEqual(["a:done:true", "b:done:true"]);
    for (const task of run.tasks) {
      const pull = pullOfTask(repo, task.number)!;
      // The ruleset's rules held at merge time: an approval and both required checks on the head.
      expect(pull.reviews.some((r) => r.state === "APPROVED")).toBe(true);
      const checks = repo.checkRuns.filter((c) => c.headSha === pull.headSha).map((c) => c.name);
      expect(checks).toEqual(expect.arrayContaining(["ci/test", "architect/dag"]));
    }
    expect(duplicates(worldFacts(repo, run.milestone))).toEqual([]);

    stack.comment(run.milestone, "/architect doctor");
    await stack.settle();
    const reply = botReplies(run.milestone).find((body) => /doctor/i.test(body)) ?? "";
    expect(reply).toMatch(/is protected by rulesets and requires `architect\/dag`/);
    expect(reply).toMatch(/`architect\/dag` is not pinned to an App: set the ruleset's `integration_id`/);
    expect(stack.sandbox.actorErrors).toEqual([]);
  }, 60_000);
});
