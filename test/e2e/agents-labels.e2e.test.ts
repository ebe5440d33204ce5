import { afterEach, describe, expect, it } from "vitest";
import { taskOutcomes } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { botReplies, duplicates, pullOfTask, runsOfTask, taskIssue, taskListBody, worldFacts } from "./invariants.js";

/**
 * Label-based assignment, end to end: `agent:<name>` overrides the planner on a planned
 * task, runs an unplanned issue as a single task, cancels a queued run when removed, and
 * an unknown name is answered with the agents that exist.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

const claimBranches = (s: Stack, issue: number) => [...s.sandbox.repo.branches.keys()].filter((b) => b.startsWith(`architect/${issue}-`));

describe("agent labels", () => {
  it("agent:codex on a planned task overrides the planner's agent", async () => {
    stack = await startStack();
    const s = stack;
    const milestone = s.openMilestone("Label override", taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"], agent: "claude" }]));
    s.comment(milestone, "/architect plan");
    // b waits for a, so there is time to relabel it before it is dispatched.
    expect(await s.waitFor(() => taskIssue(milestone, "b") !== undefined, 20_000)).toBe(true);
    const b = taskIssue(milestone, "b")!;
    expect(runsOfTask(s.sandbox.repo, b.number)).toEqual([]);
    s.label(b, ["agent:codex"]);
    const allDone = () => {
      const tasks = taskOutcomes(milestone);
      return tasks.length === 2 && tasks.every((t) => t.merged && t.state === "done");
    };
    expect(await s.waitFor(allDone, 20_000)).toBe(true);
    await s.settle(5_000);
    const a = taskIssue(milestone, "a")!;
    expect(runsOfTask(s.sandbox.repo, a.number).map((r) => r.inputs.agent)).toEqual(["claude"]);
    expect(runsOfTask(s.sandbox.repo, b.number).map((r) => r.inputs.agent)).toEqual(["codex"]);
    expect(duplicates(worldFacts(s.sandbox.repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });

  it("agent:claude on an issue outside any plan runs it as a single task to a merge", async () => {
    stack = await startStack();
    const s = stack;
    const issue = s.openMilestone("Fix the README typo", "The README says `webshopp`; it should say `webshop`.");
    s.label(issue, ["agent:claude"]);
    const merged = () => {
      const pull = pullOfTask(s.sandbox.repo, issue.number);
      return pull?.merged === true;
    };
    await s.waitFor(merged, 15_000);
    // The merged task's claim branch is deleted (the sandbox, like a repository without
    // "automatically delete head branches", leaves it after the merge).
    await s.waitFor(() => claimBranches(s, issue.number).length === 0, 10_000);
    await s.settle(5_000);
    expect(claimBranches(s, issue.number)).toEqual([]);
    expect(runsOfTask(s.sandbox.repo, issue.number).map((r) => [r.inputs.agent, r.inputs.mode, r.conclusion])).toEqual([["claude", "initial", "success"]]);
    const pull = pullOfTask(s.sandbox.repo, issue.number);
    expect(pull?.merged).toBe(true);
    expect(issue.state).toBe("closed");
    expect(duplicates(worldFacts(s.sandbox.repo, issue))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });

  it("cancels the queued run when the agent label is removed before the run starts", async () => {
    // The agent takes half an hour to pick the run up: long enough to change one's mind.
    stack = await startStack({ actors: { agent: { startDelayMs: 30 * 60_000 } } });
    const s = stack;
    const issue = s.openMilestone("Maybe later", "Rename the checkout button.");
    s.label(issue, ["agent:claude"]);
    const queued = () => runsOfTask(s.sandbox.repo, issue.number).some((r) => r.status === "queued");
    expect(await s.waitFor(queued, 15_000)).toBe(true);
    s.sandbox.state.removeLabel(s.sandbox.repo, issue, "agent:claude", s.sandbox.maintainer);
    const cancelled = () => runsOfTask(s.sandbox.repo, issue.number).every((r) => r.status === "completed" && r.conclusion === "cancelled");
    await s.waitFor(cancelled, 10_000);
    await s.settle(5_000);
    const runs = runsOfTask(s.sandbox.repo, issue.number);
    expect(runs.map((r) => [r.status, r.conclusion])).toEqual([["completed", "cancelled"]]);
    expect(pullOfTask(s.sandbox.repo, issue.number)).toBeNull();
    // Nothing will run on the claim branch again: it is deleted.
    await s.waitFor(() => claimBranches(s, issue.number).length === 0, 10_000);
    expect(claimBranches(s, issue.number)).toEqual([]);
    expect(duplicates(worldFacts(s.sandbox.repo, issue))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });

  it("answers an unknown agent:nobody with the known agents and dispatches nothing", async () => {
    stack = await startStack();
    const s = stack;
    const issue = s.openMilestone("Who does this?", "Tidy up the footer.");
    s.label(issue, ["agent:nobody"]);
    await s.waitFor(() => botReplies(issue).length > 0, 10_000);
    await s.settle(5_000);
    const replies = botReplies(issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/nobody/);
    expect(replies[0]).toMatch(/claude/);
    expect(replies[0]).toMatch(/codex/);
    expect(s.sandbox.repo.runs.size).toBe(0);
    expect(claimBranches(s, issue.number)).toEqual([]);
    expect(duplicates(worldFacts(s.sandbox.repo, issue))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });
});
