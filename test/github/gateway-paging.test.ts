import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../src/core/decide/decide.js";
import { makeConfig } from "../../src/core/decide/test-builders.js";
import type { GitHubGateway } from "../../src/github/gateway.js";
import { installHttpPolicy } from "../../src/github/http-policy.js";
import { createOctokitGateway } from "../../src/github/octokit-gateway.js";
import { createMemoryRunLedger } from "../../src/github/run-ledger.js";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { createSandbox, openMilestone, type Sandbox } from "../../src/sandbox/index.js";
import { MILESTONE_LABEL, STATE_LABELS, TASK_LABEL_SPEC } from "../../src/shared/labels.js";
import { controlMarker, taskMarker } from "./fixtures.js";
import { ManualClock } from "./manual-clock.js";

/**
 * Issue #10 §3: a busy repository. Every list the gateway reads is paged as GitHub pages it
 * (REST: `per_page` at most 100 with a Link header; GraphQL: `first` at most 100 with
 * `pageInfo`, see /work/shared/reference/github-platform.md), so nothing Architect owns
 * falls off the first page: not its claim branches behind other tasks' branches, not its
 * runs behind other workflows' newer runs, not its labels behind a hundred others.
 */

const BOT = "architect[bot]";
let sandbox: Sandbox;
let clock: ManualClock;
let gateway: GitHubGateway;

/** A workflow of the repository's own (a release job people dispatch by hand). */
const RELEASE_WORKFLOW = `name: Release\non:\n  workflow_dispatch:\n    inputs:\n      version:\n        required: false\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo release\n`;

beforeEach(async () => {
  clock = new ManualClock();
  sandbox = await createSandbox({ clock, actors: false, repo: { files: { ".github/workflows/release.yml": RELEASE_WORKFLOW } } });
  const { token } = sandbox.state.createInstallationToken(sandbox.installation, 3_600_000, Date.now());
  const octokit = new ProbotOctokit({ auth: { token }, baseUrl: sandbox.url, throttle: { enabled: false }, retry: { enabled: false } });
  installHttpPolicy(octokit, { clock, timeoutClock: clock, limiter: createMemoryWriteLimiter(clock) });
  gateway = createOctokitGateway({ octokit, owner: sandbox.repo.owner.login, repo: sandbox.repo.name, clock, runLedger: createMemoryRunLedger(clock) });
});

afterEach(async () => {
  await sandbox.close();
});

/** A planned milestone with one task, claimed and dispatched (its run queued). */
async function claimedTask() {
  const repo = sandbox.repo;
  await gateway.createLabels([TASK_LABEL_SPEC, STATE_LABELS.running]);
  const milestone = openMilestone(sandbox.state, repo, { title: "Checkout", body: "- [ ] a" });
  await gateway.createComment(milestone.number, `plan\n${controlMarker(["a"])}`);
  clock.advance(1_000);
  const [task] = await gateway.createSubIssues({ nodeId: milestone.nodeId }, repo.nodeId, [
    { key: "a", title: "Task a", body: `do a\n${taskMarker("a", { milestone: milestone.number })}`, labelIds: [repo.labels.get("architect:running")!.nodeId] },
  ]);
  const branch = `architect/${task!.number}-task-a`;
  expect(await gateway.applyBatch([{ kind: "createRef", branch, sha: repo.branches.get("main")! }])).toEqual([{ ok: true }]);
  const title = `architect ${milestone.number}/${task!.number}/1/initial`;
  const inputs = { task: String(task!.number), milestone: String(milestone.number), branch, base: "main", run_key: title, agent: "claude", attempt: "1", mode: "initial" };
  const { runId } = await gateway.dispatchWorkflow("architect-agent.yml", "main", inputs);
  return { milestone: milestone.number, task: task!.number, branch, runId: runId! };
}

const load = (milestone: number) => gateway.loadSnapshot(milestone, { botLogin: BOT, includeRuns: "auto", freshRuns: true }).then((s) => s!);

describe("a busy repository: nothing falls off the first page", () => {
  it("sees a claim branch behind 120 other architect/* branches (GraphQL refs are paged)", async () => {
    const { milestone, task, branch } = await claimedTask();
    const sha = sandbox.repo.branches.get("main")!;
    const owner = sandbox.maintainer;
    // Claim branches of other milestones' tasks, sorting before this one.
    for (let i = 0; i < 120; i++) sandbox.state.createRef(sandbox.repo, `refs/heads/architect/${1000 + i}-other-task`, sha, owner);
    const claims = [...sandbox.repo.branches.keys()].filter((b) => b.startsWith("architect/")).sort();
    expect(claims.indexOf(branch), "the claim is past the first page of 100").toBeGreaterThanOrEqual(100);

    const snapshot = await load(milestone);
    expect(snapshot.tasks.find((t) => t.issue.number === task)?.branch?.name).toBe(branch);
    // Claimed and dispatched: nothing to start again.
    const decision = decide(snapshot, makeConfig(), clock.now());
    expect(decision.effects.filter((e) => e.kind === "dispatch")).toEqual([]);
    expect(decision.states[task]?.state).toBe("running");
  });

  it("sees its run behind 250 newer runs of another workflow (REST runs are paged), so it dispatches nothing twice", async () => {
    const { milestone, task, runId } = await claimedTask();
    for (let i = 0; i < 250; i++) {
      clock.advance(1_000);
      sandbox.state.dispatchWorkflow(sandbox.repo, "release.yml", "main", { version: `1.${i}` }, sandbox.maintainer);
    }
    const lists = () => sandbox.emulator.requestLog.entries.filter((e) => e.endpoint === "GET /repos/{owner}/{repo}/actions/runs");
    const before = lists().length;
    // Well past the dispatch grace period: a run nobody can see would be re-sent now.
    clock.advance(30 * 60_000);
    const snapshot = await load(milestone);
    expect(snapshot.tasks.find((t) => t.issue.number === task)?.runs.map((r) => r.id)).toEqual([runId]);
    expect(lists().length - before, "three pages of 100").toBe(3);
    const decision = decide(snapshot, makeConfig(), clock.now());
    expect(decision.effects.filter((e) => e.kind === "dispatch")).toEqual([]);
  });

  it("lists only runs created since the milestone's plan (a minute's margin): older runs cost no page", async () => {
    for (let i = 0; i < 250; i++) {
      clock.advance(1_000);
      sandbox.state.dispatchWorkflow(sandbox.repo, "release.yml", "main", { version: `0.${i}` }, sandbox.maintainer);
    }
    clock.advance(5 * 60_000);
    const { milestone, task, runId } = await claimedTask();
    const before = sandbox.emulator.requestLog.entries.length;
    const snapshot = await load(milestone);
    expect(snapshot.tasks.find((t) => t.issue.number === task)?.runs.map((r) => r.id)).toEqual([runId]);
    const listed = sandbox.emulator.requestLog.entries.slice(before).filter((e) => e.endpoint === "GET /repos/{owner}/{repo}/actions/runs");
    // Without GitHub's `created` filter the 250 older runs would be three pages.
    expect(listed).toHaveLength(1);
  });

  it("knows its labels among 150 others (searched by name, then paged)", async () => {
    for (let i = 0; i < 150; i++) sandbox.state.createLabel(sandbox.repo, { name: `area/component-${i}` });
    // Labels that match the search but are not Architect's push its own past one page.
    for (let i = 0; i < 120; i++) sandbox.state.createLabel(sandbox.repo, { name: `architecture-${i}` });
    const { milestone } = await claimedTask();
    const snapshot = await load(milestone);
    expect(Object.keys(snapshot.repoLabels)).toEqual(expect.arrayContaining([TASK_LABEL_SPEC.name, STATE_LABELS.running.name]));
    // Known labels are not created again.
    const decision = decide(snapshot, makeConfig(), clock.now());
    const creating = decision.effects.flatMap((e) => (e.kind === "createLabels" ? e.labels.map((l) => l.name) : []));
    expect(creating).not.toContain(STATE_LABELS.running.name);
    expect(creating).not.toContain(TASK_LABEL_SPEC.name);
  });

  it("finds every open milestone for the startup sweep, past the first 100", async () => {
    for (let i = 0; i < 130; i++) {
      const issue = openMilestone(sandbox.state, sandbox.repo, { title: `Milestone ${i}`, body: "- [ ] x" });
      sandbox.state.addLabels(sandbox.repo, issue, [MILESTONE_LABEL], sandbox.maintainer);
    }
    expect(await gateway.listOpenMilestones()).toHaveLength(130);
  });

  it("deletes a claim branch; deleting one that is gone already is success (REST DELETE /git/refs/heads/…)", async () => {
    const { branch } = await claimedTask();
    await gateway.deleteBranch(branch);
    expect(sandbox.repo.branches.has(branch)).toBe(false);
    await expect(gateway.deleteBranch(branch)).resolves.toBeUndefined();
    const deletes = sandbox.emulator.requestLog.entries.filter((e) => e.endpoint.startsWith("DELETE "));
    expect(deletes.map((e) => e.status)).toEqual([204, 422]);
  });
});
