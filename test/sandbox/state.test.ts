import { describe, expect, it } from "vitest";
import { World, closingReferences, type WorldEvent } from "../../src/sandbox/emulator/state.js";
import { ManualClock } from "./manual-clock.js";

function setup() {
  const world = new World({ clock: new ManualClock() });
  const events: WorldEvent[] = [];
  world.subscribe((e) => events.push(e));
  const repo = world.createRepo({
    owner: "acme",
    name: "widgets",
    files: {
      "README.md": "# widgets\n",
      ".github/workflows/agent.yml": [
        "name: Agent",
        "run-name: ${{ inputs.run_key }}",
        "on:",
        "  workflow_dispatch:",
        "    inputs:",
        "      run_key: { required: true }",
        "      task: { required: false, default: '0' }",
        "jobs: {}",
      ].join("\n"),
      ".github/workflows/ci.yml": "name: CI\non: [push]\njobs: {}\n",
    },
  });
  const alice = world.setCollaborator(repo, "alice", "write");
  const bob = world.setCollaborator(repo, "bob", "write");
  const reader = world.setCollaborator(repo, "rita", "read");
  return { world, repo, alice, bob, reader, events };
}

describe("World", () => {
  it("issues and pulls share one number sequence while ids are distinct from numbers", () => {
    const { world, repo, alice } = setup();
    const issue = world.createIssue(repo, { title: "one", user: alice });
    world.pushCommit(repo, "feature", { "a.txt": "a" }, "add a", alice);
    const pull = world.openPull(repo, { title: "pr", head: "feature", base: "main", user: alice });
    expect([issue.number, pull.issue.number]).toEqual([1, 2]);
    expect(issue.id).not.toBe(issue.number);
    expect(world.lookupNode(issue.nodeId)).toEqual({ type: "Issue", ref: issue });
    expect(world.lookupNode(pull.nodeId)?.ref).toBe(pull);
  });

  it("createRef refuses an existing ref with 422 Reference already exists", () => {
    const { world, repo, alice } = setup();
    const sha = repo.branches.get("main")!;
    world.createRef(repo, "refs/heads/claim", sha, alice);
    expect(() => world.createRef(repo, "refs/heads/claim", sha, alice)).toThrow(expect.objectContaining({ status: 422, message: "Reference already exists" }));
  });

  it.each([
    ["self", (i: { a: unknown }) => i.a],
    ["pull request", (i: { pr: unknown }) => i.pr],
  ])("addSubIssue rejects a %s child with 422", (_name, pick) => {
    const { world, repo, alice } = setup();
    const a = world.createIssue(repo, { title: "a", user: alice });
    world.pushCommit(repo, "f", { x: "1" }, "x", alice);
    const pr = world.openPull(repo, { title: "p", head: "f", base: "main", user: alice }).issue;
    const child = pick({ a, pr } as never) as typeof a;
    expect(() => world.addSubIssue(repo, a, child, {}, alice)).toThrow(expect.objectContaining({ status: 422 }));
  });

  it("sub-issues: one parent unless replaced, both directions emitted, 100 cap", () => {
    const { world, repo, alice, events } = setup();
    const [p1, p2, c] = ["p1", "p2", "c"].map((t) => world.createIssue(repo, { title: t, user: alice }));
    world.addSubIssue(repo, p1!, c!, {}, alice);
    expect(events.filter((e) => e.name === "sub_issues").map((e) => e.action)).toEqual(["sub_issue_added", "parent_issue_added"]);
    expect(() => world.addSubIssue(repo, p2!, c!, {}, alice)).toThrow(expect.objectContaining({ status: 422 }));
    world.addSubIssue(repo, p2!, c!, { replaceParent: true }, alice);
    expect([c!.parent, p1!.subIssues.length, p2!.subIssues]).toEqual([p2, 0, [c]]);
    for (let i = 0; i < 99; i++) world.addSubIssue(repo, p2!, world.createIssue(repo, { title: `k${i}`, user: alice }), {}, alice);
    expect(() => world.addSubIssue(repo, p2!, world.createIssue(repo, { title: "over", user: alice }), {}, alice)).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });

  it("sub-issues refuse cycles and nesting deeper than 8 levels", () => {
    const { world, repo, alice } = setup();
    const chain = Array.from({ length: 10 }, (_, i) => world.createIssue(repo, { title: `l${i}`, user: alice }));
    for (let i = 1; i <= 8; i++) world.addSubIssue(repo, chain[i - 1]!, chain[i]!, {}, alice);
    expect(() => world.addSubIssue(repo, chain[8]!, chain[9]!, {}, alice)).toThrow(expect.objectContaining({ status: 422 }));
    expect(() => world.addSubIssue(repo, chain[3]!, chain[0]!, {}, alice)).toThrow(expect.objectContaining({ status: 422 }));
  });

  it("blocked-by keeps both directions, refuses duplicates and self-links", () => {
    const { world, repo, alice } = setup();
    const [a, b] = ["a", "b"].map((t) => world.createIssue(repo, { title: t, user: alice }));
    world.addBlockedBy(repo, b!, a!, alice);
    expect([b!.blockedBy, a!.blocking]).toEqual([[a], [b]]);
    expect(() => world.addBlockedBy(repo, b!, a!, alice)).toThrow(expect.objectContaining({ status: 422 }));
    expect(() => world.addBlockedBy(repo, a!, a!, alice)).toThrow(expect.objectContaining({ status: 422 }));
  });

  it.each([
    ["Closes #1 and fixes: #3", [1, 3]],
    ["resolved #2, closes #2", [2]],
    ["see #4", []],
    ["closes#5", []],
  ])("closingReferences(%j)", (body, expected) => {
    expect(closingReferences(body)).toEqual(expected);
  });

  it("merge enforces required checks and approvals, then closes referenced issues", () => {
    const { world, repo, alice, bob, reader } = setup();
    const ci = world.createApp({ slug: "ci" });
    world.setBranchProtection(repo, "main", {
      requiredStatusChecks: { strict: false, contexts: ["ci/test"] },
      requiredPullRequestReviews: { requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireCodeOwnerReviews: false, requireLastPushApproval: false },
      enforceAdmins: true,
    });
    const task = world.createIssue(repo, { title: "task", user: alice });
    world.pushCommit(repo, "work", { "w.md": "1" }, "work", alice);
    const pull = world.openPull(repo, { title: "pr", body: `Closes #${task.number}`, head: "work", base: "main", user: alice });
    const merge = () => world.mergePull(repo, pull, { sha: pull.headSha }, alice);
    expect(merge).toThrow(expect.objectContaining({ status: 405 }));
    const run = world.createCheckRun(repo, ci, { name: "ci/test", headSha: pull.headSha, status: "in_progress" });
    world.updateCheckRun(repo, run.id, { conclusion: "success" });
    expect(world.mergeCheck(repo, pull).blockers).toEqual(["At least 1 approving review is required by reviewers with write access."]);
    world.submitReview(repo, pull, { user: reader, event: "APPROVE" });
    expect(merge).toThrow(expect.objectContaining({ status: 405 }));
    expect(() => world.submitReview(repo, pull, { user: alice, event: "APPROVE" })).toThrow(expect.objectContaining({ status: 422 }));
    world.submitReview(repo, pull, { user: bob, event: "APPROVE" });
    expect(() => world.mergePull(repo, pull, { sha: "0".repeat(40) }, alice)).toThrow(expect.objectContaining({ status: 409 }));
    merge();
    expect([pull.merged, task.state, task.stateReason, world.readFile(repo, "w.md")]).toEqual([true, "closed", "completed", "1"]);
  });

  it("a push dismisses stale approvals only when dismiss_stale_reviews is set", () => {
    for (const dismiss of [true, false]) {
      const { world, repo, alice, bob } = setup();
      world.setBranchProtection(repo, "main", {
        requiredStatusChecks: null,
        requiredPullRequestReviews: { requiredApprovingReviewCount: 1, dismissStaleReviews: dismiss, requireCodeOwnerReviews: false, requireLastPushApproval: false },
        enforceAdmins: true,
      });
      world.pushCommit(repo, "w", { a: "1" }, "1", alice);
      const pull = world.openPull(repo, { title: "pr", head: "w", base: "main", user: alice });
      const review = world.submitReview(repo, pull, { user: bob, event: "APPROVE" });
      world.pushCommit(repo, "w", { a: "2" }, "2", alice);
      expect(review.state).toBe(dismiss ? "DISMISSED" : "APPROVED");
    }
  });

  it("conflicting changes make a PR dirty and POST /merges a 409", () => {
    const { world, repo, alice } = setup();
    world.pushCommit(repo, "x", { "README.md": "x" }, "x", alice);
    world.pushCommit(repo, "main", { "README.md": "main" }, "m", alice);
    const pull = world.openPull(repo, { title: "pr", head: "x", base: "main", user: alice });
    expect(world.mergeCheck(repo, pull).mergeableState).toBe("dirty");
    expect(() => world.mergeBranches(repo, "main", "x", null, alice)).toThrow(expect.objectContaining({ status: 409 }));
  });

  it("dispatch renders run-name into display_title and validates the workflow", () => {
    const { world, repo, alice, events } = setup();
    const run = world.dispatchWorkflow(repo, "agent.yml", "main", { run_key: "task-7 #1" }, alice)!;
    expect([run.displayTitle, run.inputs, run.status]).toEqual(["task-7 #1", { run_key: "task-7 #1", task: "0" }, "queued"]);
    expect(events.at(-1)).toMatchObject({ name: "workflow_run", action: "requested" });
    expect(() => world.dispatchWorkflow(repo, "nope.yml", "main", {}, alice)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => world.dispatchWorkflow(repo, "ci.yml", "main", {}, alice)).toThrow(expect.objectContaining({ status: 422 }));
    expect(() => world.dispatchWorkflow(repo, "agent.yml", "main", {}, alice)).toThrow(expect.objectContaining({ status: 422 }));
    const many = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`i${i}`, "v"]));
    expect(() => world.dispatchWorkflow(repo, "agent.yml", "main", many, alice)).toThrow(expect.objectContaining({ status: 422 }));
    expect(world.dispatchWorkflow(repo, "agent.yml", "main", { run_key: "lost" }, alice, { dropRun: true })).toBeNull();
    expect(repo.runs.size).toBe(1);
  });
});
