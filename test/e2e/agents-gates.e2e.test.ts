import { afterEach, describe, expect, it } from "vitest";
import { taskOutcomes } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import type { Issue, PullRequest, Repo } from "../../src/sandbox/emulator/model.js";
import { dagChecksOf, duplicates, pullOfTask, taskIssue, taskListBody, worldFacts } from "./invariants.js";

/**
 * The human gates, end to end: `architect/dag` (required by branch protection) keeps a
 * person from merging out of dependency order, and the plan's requester cannot approve
 * their own milestone's work.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

const ciGreen = (repo: Repo, pull: PullRequest | null) =>
  pull !== null && repo.checkRuns.some((c) => c.name === "ci/test" && c.headSha === pull.headSha && c.conclusion === "success");

/** Merge a PR the way a person's client would: the REST API with their own token. */
async function mergeAsPerson(s: Stack, pull: PullRequest, login: string): Promise<{ status: number; message: string }> {
  const token = s.sandbox.state.createUserToken(login);
  const repo = s.sandbox.repo;
  const response = await fetch(`${s.sandbox.url}/repos/${repo.owner.login}/${repo.name}/pulls/${pull.issue.number}/merge`, {
    method: "PUT",
    headers: { authorization: `token ${token}`, "content-type": "application/json", accept: "application/vnd.github+json" },
    body: JSON.stringify({ merge_method: "squash" }),
  });
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return { status: response.status, message: body.message ?? "" };
}

function approveAs(s: Stack, pull: PullRequest, login: string): void {
  const world = s.sandbox.state;
  if (!world.hasPermission(s.sandbox.repo, login, "write")) world.setCollaborator(s.sandbox.repo, login, "write");
  world.submitReview(s.sandbox.repo, pull, { user: world.ensureUser(login), event: "APPROVE", commitId: pull.headSha });
}

const allDone = (milestone: Issue, n: number) => () => {
  const tasks = taskOutcomes(milestone);
  return tasks.length === n && tasks.every((t) => t.merged && t.state === "done");
};

describe("architect/dag and approval gates", () => {
  it("refuses a person's out-of-order merge with architect/dag named, and keeps the check pending on the dependency", async () => {
    // advance_on: checks lets the dependent open its PR while its dependency waits for a review that never comes.
    stack = await startStack({
      repoConfig: "advance_on: checks\n",
      actors: { reviewer: { behave: (ref) => (ref.key === "a" ? "none" : "approve") } },
    });
    const s = stack;
    const repo = s.sandbox.repo;
    const milestone = s.openMilestone("Out-of-order merge", taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"] }]));
    s.comment(milestone, "/architect plan");
    const pullB = () => {
      const b = taskIssue(milestone, "b");
      return b ? pullOfTask(repo, b.number) : null;
    };
    const readyButForDag = () => {
      const pull = pullB();
      return ciGreen(repo, pull) && pull!.reviews.some((r) => r.state === "APPROVED" && r.commitId === pull!.headSha) && dagChecksOf(repo, pull!).length > 0;
    };
    expect(await s.waitFor(readyButForDag, 20_000)).toBe(true);
    await s.settle(5_000);
    const a = taskIssue(milestone, "a")!;
    const pull = pullB()!;
    expect(pullOfTask(repo, a.number)?.merged).toBe(false);

    const refused = await mergeAsPerson(s, pull, "maintainer");
    expect(refused.status).toBe(405);
    expect(refused.message).toContain("architect/dag");
    expect(pull.merged).toBe(false);
    const dag = dagChecksOf(repo, pull)[0]!;
    expect(dag.status).not.toBe("completed");
    expect(dag.output.title ?? "").toContain(`#${a.number} (a)`);

    // Once a person approves the dependency, both merge, in order.
    approveAs(s, pullOfTask(repo, a.number)!, "alice");
    expect(await s.waitFor(allDone(milestone, 2), 20_000)).toBe(true);
    await s.settle(5_000);
    const [doneA, doneB] = ["a", "b"].map((k) => taskOutcomes(milestone).find((t) => t.key === k)!);
    expect(doneA!.mergedAt!).toBeLessThan(doneB!.mergedAt!);
    expect(duplicates(worldFacts(repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });

  it("does not count the requester's own approval; another writer's approval merges", async () => {
    stack = await startStack({ actors: { disable: ["reviewer"] } });
    const s = stack;
    const repo = s.sandbox.repo;
    const milestone = s.openMilestone("Self-approval", taskListBody([{ key: "a" }]));
    s.comment(milestone, "/architect plan", "maintainer");
    const pullA = () => {
      const a = taskIssue(milestone, "a");
      return a ? pullOfTask(repo, a.number) : null;
    };
    expect(await s.waitFor(() => ciGreen(repo, pullA()), 20_000)).toBe(true);
    const pull = pullA()!;
    approveAs(s, pull, "maintainer");
    await s.clock.sleep(5 * 60_000);
    await s.settle(5_000);

    expect(pull.merged).toBe(false);
    const dag = dagChecksOf(repo, pull)[0]!;
    expect(dag.status).not.toBe("completed");
    expect(dag.output.title ?? "").toMatch(/1 approval/);
    // GitHub itself would count the maintainer's approval: only architect/dag stands in the way.
    expect(s.sandbox.state.mergeCheck(repo, pull).blockers).toEqual(['Required status check "architect/dag" is expected.']);

    approveAs(s, pull, "alice");
    expect(await s.waitFor(allDone(milestone, 1), 20_000)).toBe(true);
    await s.settle(5_000);
    expect(pull.mergedBy?.login).toBe("architect[bot]");
    expect(dagChecksOf(repo, pull)[0]?.conclusion).toBe("success");
    expect(duplicates(worldFacts(repo, milestone))).toEqual([]);
    expect(s.sandbox.actorErrors).toEqual([]);
  });
});
