import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/core/markers/markers.js";
import type { BatchOp, GitHubGateway } from "../../src/github/gateway.js";
import { installHttpPolicy } from "../../src/github/http-policy.js";
import { createOctokitGateway } from "../../src/github/octokit-gateway.js";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { scaledClock } from "../../src/shared/clock.js";
/** The limiter (Bottleneck) waits on wall-clock timers, which a ManualClock cannot drive; this keeps its waits to a millisecond or two. */
const fastLimiterClock = scaledClock(10_000);
import { createSandbox, openMilestone, type Sandbox } from "../../src/sandbox/index.js";
import { STATE_LABELS, TASK_LABEL_SPEC } from "../../src/shared/labels.js";
import { controlMarker, taskMarker } from "./fixtures.js";
import { ManualClock } from "./manual-clock.js";

/**
 * The real gateway against the real emulator over HTTP: every GraphQL document is validated
 * against GitHub's schema by the emulator, and every write goes through the world's rules.
 */

let sandbox: Sandbox;
let gateway: GitHubGateway;
let clock: ManualClock;
const BOT = "architect[bot]";

beforeEach(async () => {
  clock = new ManualClock();
  sandbox = await createSandbox({ clock, actors: false });
  const { token } = sandbox.state.createInstallationToken(sandbox.installation, 3_600_000, Date.now()); // the server checks expiry on wall-clock time
  const octokit = new ProbotOctokit({ auth: { token }, baseUrl: sandbox.url, throttle: { enabled: false }, retry: { enabled: false } });
  installHttpPolicy(octokit, { clock, timeoutClock: clock, limiter: createMemoryWriteLimiter(fastLimiterClock) });
  gateway = createOctokitGateway({ octokit, owner: sandbox.repo.owner.login, repo: sandbox.repo.name, clock });
});

afterEach(async () => {
  await sandbox.close();
});

const graphqlCalls = () => sandbox.emulator.requestLog.graphqlCounts();

/** A milestone with three task sub-issues (a ← b ← c), created through the gateway. */
async function plannedMilestone() {
  const world = sandbox.state;
  const repo = sandbox.repo;
  await gateway.createLabels([TASK_LABEL_SPEC, STATE_LABELS.ready, STATE_LABELS.running, STATE_LABELS.blocked]);
  const milestone = openMilestone(world, repo, { title: "Checkout", body: "- [ ] a\n- [ ] b\n- [ ] c" });
  await gateway.createComment(milestone.number, `plan\n${controlMarker(["a", "b", "c"])}`);
  const labelId = (name: string) => repo.labels.get(name)!.nodeId;
  const created = await gateway.createSubIssues({ nodeId: milestone.nodeId }, repo.nodeId, [
    { key: "a", title: "Task a", body: `do a\n${taskMarker("a", { milestone: milestone.number })}`, labelIds: [labelId(TASK_LABEL_SPEC.name), labelId("architect:ready")] },
    { key: "b", title: "Task b", body: `do b\n${taskMarker("b", { milestone: milestone.number, dependsOn: ["a"] })}`, labelIds: [labelId("architect:blocked")] },
    { key: "c", title: "Task c", body: `do c\n${taskMarker("c", { milestone: milestone.number, dependsOn: ["b"] })}`, labelIds: [] },
  ]);
  const [a, b, c] = created;
  const linked = await gateway.applyBatch([
    { kind: "addBlockedBy", taskNodeId: b!.nodeId, blockerNodeId: a!.nodeId },
    { kind: "addBlockedBy", taskNodeId: c!.nodeId, blockerNodeId: b!.nodeId },
  ]);
  expect(linked).toEqual([{ ok: true }, { ok: true }]);
  return { milestone, a: a!, b: b!, c: c! };
}

describe("gateway against the emulator", () => {
  it("creates labels in one mutation; labels that exist already are no error", async () => {
    await gateway.createLabels([STATE_LABELS.review]);
    const before = sandbox.emulator.requestLog.entries.length;
    await gateway.createLabels([STATE_LABELS.review, STATE_LABELS.done, STATE_LABELS.failed]);
    const sent = sandbox.emulator.requestLog.entries.slice(before).map((e) => e.endpoint);
    expect(sent).toEqual(["POST /graphql (mutation)"]);
    const made = ["architect:review", "architect:done", "architect:failed"].map((n) => sandbox.repo.labels.get(n));
    expect(made.map((l) => [l?.name, l?.color])).toEqual([
      ["architect:review", STATE_LABELS.review.color],
      ["architect:done", STATE_LABELS.done.color],
      ["architect:failed", STATE_LABELS.failed.color],
    ]);
    expect(made[2]?.description).toBe(STATE_LABELS.failed.description);
  });

  it("creates sub-issues in one mutation and links them natively", async () => {
    const before = graphqlCalls().mutations;
    const { milestone, a, b } = await plannedMilestone();
    // One createLabel document, one createIssue document, one addBlockedBy document.
    expect(graphqlCalls().mutations - before).toBe(3);
    expect(milestone.subIssues.map((i) => i.number)).toEqual([a.number, b.number, b.number + 1]);
    const issueA = sandbox.repo.issues.get(a.number)!;
    expect(issueA.id).toBe(a.id);
    expect(issueA.labels.map((l) => l.name).sort()).toEqual(["architect:ready", "architect:task"]);
    expect(sandbox.repo.issues.get(b.number)!.blockedBy.map((i) => i.number)).toEqual([a.number]);
  });

  it("loads a snapshot that reflects the world, in one GraphQL query", async () => {
    const { milestone, a, b, c } = await plannedMilestone();
    const world = sandbox.state;
    const repo = sandbox.repo;
    // Task a is claimed, has a PR by the agent and a CI check.
    // The claim is a lock: the second createRef of the same branch fails, alone in its batch.
    const claim: BatchOp = { kind: "createRef", branch: `architect/${a.number}-task-a`, sha: repo.branches.get("main")! };
    expect(await gateway.applyBatch([claim])).toEqual([{ ok: true }]);
    expect(await gateway.applyBatch([claim, { kind: "createRef", branch: "scratch", sha: repo.branches.get("main")! }])).toEqual([
      { ok: false, message: `A ref named "refs/heads/${claim.branch}" already exists in the repository.` },
      { ok: true },
    ]);
    const agent = world.ensureUser("agent-bot[bot]", "Bot");
    world.setCollaborator(repo, "reviewer", "write");
    const head = world.pushCommit(repo, `architect/${a.number}-task-a`, { "src/a.ts": "export const a = 1;\n" }, "do a", agent);
    const pull = world.openPull(repo, { title: "Task a", body: `Closes #${a.number}`, head: `architect/${a.number}-task-a`, base: "main", user: agent });
    world.submitReview(repo, pull, { user: world.ensureUser("reviewer"), event: "APPROVE" });
    const ci = world.createApp({ slug: "ci", name: "CI" });
    world.createCheckRun(repo, ci, { name: "ci/test", headSha: head.sha, status: "completed", conclusion: "failure", output: { title: "1 failing", summary: "expected 2" } });
    await gateway.createComment(milestone.number, encodeMarker("status", { milestone: milestone.number, dispatches: { [String(a.number)]: { seq: 1, at: 7 } } }));
    world.addLabels(repo, world.getIssue(repo, a.number), ["architect:running"], world.ensureUser("maintainer"));

    sandbox.emulator.requestLog.clear();
    const snapshot = await gateway.loadSnapshot(milestone.number, { botLogin: BOT, includeRuns: "auto" });
    const counts = sandbox.emulator.requestLog.countsByEndpoint();
    expect(counts).toEqual({
      "POST /graphql (query)": 1,
      // The emulator routes `branches/{+branch}` (branch names contain slashes); this is the protection read.
      "GET /repos/{owner}/{repo}/branches/{+branch}": 1,
      // The rules of any rulesets that apply to the default branch.
      "GET /repos/{owner}/{repo}/rules/branches/{+branch}": 1,
      "GET /repos/{owner}/{repo}/actions/runs": 1,
    });

    expect(snapshot).not.toBeNull();
    const s = snapshot!;
    expect(s.repo).toMatchObject({ nodeId: repo.nodeId, defaultBranch: "main", defaultBranchSha: repo.branches.get("main") });
    expect(s.repo.protection).toEqual({ enabled: true, requiredChecks: ["ci/test", "architect/dag"], requiredApprovals: 1, strict: false, mergeQueue: false, sources: ["classic"], dagCheckApp: { classic: null } });
    expect(s.control?.value.plan.tasks.map((t) => t.key)).toEqual(["a", "b", "c"]);
    expect(s.status?.value).toEqual({ dispatches: { [String(a.number)]: { seq: 1, at: 7 } } });
    expect(s.tasks.map((t) => [t.issue.number, t.marker.key, t.blockedBy])).toEqual([
      [a.number, "a", []],
      [b.number, "b", [a.number]],
      [c.number, "c", [b.number]],
    ]);
    expect(s.runningElsewhere).toBe(0);
    expect(s.repoLabels["architect:ready"]).toBe(repo.labels.get("architect:ready")!.nodeId);

    const taskA = s.tasks[0]!;
    expect(taskA.branch).toEqual({ name: `architect/${a.number}-task-a`, sha: head.sha });
    expect(taskA.pull).toMatchObject({ number: pull.issue.number, state: "open", headSha: head.sha, author: "agent-bot[bot]", mergeable: "MERGEABLE" });
    expect(taskA.pull!.checks).toEqual([
      expect.objectContaining({ name: "ci/test", status: "completed", conclusion: "failure", isRequired: true, appSlug: "ci", title: "1 failing" }),
    ]);
    expect(taskA.pull!.reviews).toEqual([
      expect.objectContaining({ author: "reviewer", authorIsBot: false, authorCanWrite: true, state: "APPROVED", commitSha: head.sha }),
    ]);
  });

  it("applies a batch with per-op outcomes: a stale merge fails, the rest land", async () => {
    const { milestone, a, b, c } = await plannedMilestone();
    const world = sandbox.state;
    const repo = sandbox.repo;
    await gateway.applyBatch([{ kind: "createRef", branch: `architect/${a.number}-a`, sha: repo.branches.get("main")! }]);
    const head = world.pushCommit(repo, `architect/${a.number}-a`, { "a.txt": "a\n" }, "a", world.ensureUser("maintainer"));
    const pull = world.openPull(repo, { title: "a", body: "", head: `architect/${a.number}-a`, base: "main", user: world.ensureUser("maintainer") });
    const snapshot = (await gateway.loadSnapshot(milestone.number, { botLogin: BOT, includeRuns: "auto" }))!;
    const ready = snapshot.repoLabels["architect:ready"]!;
    const blocked = snapshot.repoLabels["architect:blocked"]!;

    const results = await gateway.applyBatch([
      { kind: "setLabels", issueNodeId: b.nodeId, addLabelIds: [ready], removeLabelIds: [blocked] },
      { kind: "createCheckRun", headSha: head.sha, name: "architect/dag", status: "pending", title: "waiting on #0", summary: "deps" },
      { kind: "merge", pullNodeId: pull.nodeId, headSha: "0".repeat(40), method: "squash" },
      { kind: "closeIssue", issueNodeId: c.nodeId, reason: "not_planned" },
      { kind: "addComment", subjectNodeId: milestone.nodeId, body: "hello" },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, true]);
    expect(results[2]).toMatchObject({ message: expect.stringMatching(/Head branch was modified/) });

    expect(world.getIssue(repo, b.number).labels.map((l) => l.name)).toEqual(["architect:ready"]);
    expect(world.getIssue(repo, c.number)).toMatchObject({ state: "closed", stateReason: "not_planned" });
    expect(pull.merged).toBe(false);
    const dag = world.checkRunsFor(repo, head.sha).find((r) => r.name === "architect/dag")!;
    expect(dag).toMatchObject({ status: "in_progress", app: sandbox.app });
    expect(milestone.comments.at(-1)).toMatchObject({ body: "hello", user: sandbox.app.botUser });

    // The check run is updated in place through its node id from the next snapshot.
    const next = (await gateway.loadSnapshot(milestone.number, { botLogin: BOT, includeRuns: "auto" }))!;
    const check = next.tasks[0]!.pull!.checks.find((x) => x.name === "architect/dag")!;
    expect(check).toMatchObject({ appSlug: "architect", status: "in_progress", isRequired: true });
    const [update] = await gateway.applyBatch([{ kind: "updateCheckRun", checkNodeId: check.nodeId!, status: "success", title: "ready", summary: "ok" }]);
    expect(update).toEqual({ ok: true });
    expect(dag).toMatchObject({ status: "completed", conclusion: "success" });

    // A merge that lands reports its merge commit: the default branch's new head.
    world.setCollaborator(repo, "reviewer", "write");
    world.submitReview(repo, pull, { user: world.ensureUser("reviewer"), event: "APPROVE" });
    const ci = world.createApp({ slug: "ci", name: "CI" });
    world.createCheckRun(repo, ci, { name: "ci/test", headSha: head.sha, status: "completed", conclusion: "success", output: { title: "ok", summary: "ok" } });
    const [merged] = await gateway.applyBatch([{ kind: "merge", pullNodeId: pull.nodeId, headSha: head.sha, method: "squash" }]);
    expect(merged).toEqual({ ok: true, mergeCommitSha: repo.branches.get("main") });
    expect(pull.merged).toBe(true);
  });

  it("answers reads: parent, issue with comments, permission, files, repo context", async () => {
    const { milestone, a } = await plannedMilestone();
    expect(await gateway.findParent(a.number)).toBe(milestone.number);
    expect(await gateway.findParent(milestone.number)).toBeNull();
    const withComments = await gateway.getIssueWithComments(milestone.number);
    expect(withComments?.comments[0]).toMatchObject({ author: BOT, authorIsBot: true });
    expect(decodeMarker("control", withComments?.comments[0]?.body)).not.toBeNull();
    expect(await gateway.getPermission("maintainer")).toBe("admin");
    expect(await gateway.getPermission("stranger")).toBe("none");
    expect(await gateway.readFile("README.md")).toMatch(/^# webshop/);
    expect(await gateway.readFile("nope.md")).toBeNull();
    const context = await gateway.getRepoContext();
    expect(context.defaultBranch).toBe("main");
    expect(context.files).toEqual(expect.arrayContaining(["README.md", ".github/", ".github/workflows/"]));
    expect(context.readmeHead).toMatch(/sandbox repository/);
    expect(context.labels).toContain("architect:ready");
  });

  it("dispatches the agent workflow and correlates the run by its title", async () => {
    const { milestone, a } = await plannedMilestone();
    const title = `architect ${milestone.number}/${a.number}/1/initial`;
    const { runId } = await gateway.dispatchWorkflow("architect-agent.yml", "main", {
      task: String(a.number),
      milestone: String(milestone.number),
      branch: `architect/${a.number}-a`,
      base: "main",
      run_key: title,
      agent: "claude",
      attempt: "1",
      mode: "initial",
    });
    expect(typeof runId).toBe("number");
    expect(sandbox.repo.runs.get(runId!)!.displayTitle).toBe(title);
    const s = (await gateway.loadSnapshot(milestone.number, { botLogin: BOT, includeRuns: "always" }))!;
    expect(s.tasks.find((t) => t.issue.number === a.number)!.runs).toEqual([
      expect.objectContaining({ id: runId, key: { milestone: milestone.number, task: a.number, seq: 1, mode: "initial" } }),
    ]);
  });
});
