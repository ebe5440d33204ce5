import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubGateway } from "../../src/github/gateway.js";
import { installHttpPolicy } from "../../src/github/http-policy.js";
import { createOctokitGateway } from "../../src/github/octokit-gateway.js";
import { createMemoryRunLedger, type RunLedger } from "../../src/github/run-ledger.js";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { scaledClock } from "../../src/shared/clock.js";
/** The limiter (Bottleneck) waits on wall-clock timers, which a ManualClock cannot drive; this keeps its waits to a millisecond or two. */
const fastLimiterClock = scaledClock(10_000);
import { createSandbox, openMilestone, type Sandbox } from "../../src/sandbox/index.js";
import { STATE_LABELS, TASK_LABEL_SPEC } from "../../src/shared/labels.js";
import { controlMarker, taskMarker } from "./fixtures.js";
import { ManualClock } from "./manual-clock.js";

/** The real gateway with a memory run ledger, against the emulator over HTTP. */

const BOT = "architect[bot]";
const FRESH_MS = 60_000;
const RUNS_LIST = "GET /repos/{owner}/{repo}/actions/runs";
let sandbox: Sandbox;
let octokit: InstanceType<typeof ProbotOctokit>;
let gateway: GitHubGateway;
let ledger: RunLedger;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock();
  sandbox = await createSandbox({ clock, actors: false });
  const { token } = sandbox.state.createInstallationToken(sandbox.installation, 3_600_000, Date.now()); // checked on wall-clock time
  octokit = new ProbotOctokit({ auth: { token }, baseUrl: sandbox.url, throttle: { enabled: false }, retry: { enabled: false } });
  installHttpPolicy(octokit, { clock, timeoutClock: clock, limiter: createMemoryWriteLimiter(fastLimiterClock) });
});

/** The App process starting now: its ledger hears webhooks from here on. */
function startProcess(): void {
  ledger = createMemoryRunLedger(clock, { freshForMs: FRESH_MS });
  gateway = createOctokitGateway({ octokit, owner: sandbox.repo.owner.login, repo: sandbox.repo.name, clock, runLedger: ledger });
}

afterEach(async () => {
  await sandbox.close();
});

/** The paths of the runs lists sent since the last call (the log is cleared each time). */
function runLists(): string[] {
  const paths = sandbox.emulator.requestLog.entries.filter((e) => e.endpoint === RUNS_LIST).map((e) => e.path);
  sandbox.emulator.requestLog.clear();
  return paths;
}

/**
 * A milestone with one task, claimed (branch, no PR) and dispatched: its run is queued.
 * By default the process starts a millisecond later (a restart), so its ledger has not
 * heard that run; `processUp` starts it first.
 */
async function claimedTask({ processUp = false } = {}) {
  if (processUp) startProcess();
  else gateway = createOctokitGateway({ octokit, owner: sandbox.repo.owner.login, repo: sandbox.repo.name, clock });
  const repo = sandbox.repo;
  await gateway.createLabels([TASK_LABEL_SPEC, STATE_LABELS.running]);
  const milestone = openMilestone(sandbox.state, repo, { title: "Checkout", body: "- [ ] a" });
  await gateway.createComment(milestone.number, `plan\n${controlMarker(["a"])}`);
  const [task] = await gateway.createSubIssues({ nodeId: milestone.nodeId }, repo.nodeId, [
    { key: "a", title: "Task a", body: `do a\n${taskMarker("a", { milestone: milestone.number })}`, labelIds: [repo.labels.get("architect:running")!.nodeId] },
  ]);
  const branch = `architect/${task!.number}-task-a`;
  expect(await gateway.applyBatch([{ kind: "createRef", branch, sha: repo.branches.get("main")! }])).toEqual([{ ok: true }]);
  const title = `architect ${milestone.number}/${task!.number}/1/initial`;
  const inputs = { task: String(task!.number), milestone: String(milestone.number), branch, base: "main", run_key: title, agent: "claude", attempt: "1", mode: "initial" };
  const { runId } = await gateway.dispatchWorkflow("architect-agent.yml", "main", inputs);
  if (!processUp) {
    clock.advance(1);
    startProcess();
  }
  sandbox.emulator.requestLog.clear();
  return { milestone: milestone.number, task: task!.number, run: repo.runs.get(runId!)! };
}

const load = (milestone: number, freshRuns?: boolean) =>
  gateway.loadSnapshot(milestone, { botLogin: BOT, includeRuns: "auto", ...(freshRuns === undefined ? {} : { freshRuns }) }).then((s) => s!);
const taskRuns = (s: Awaited<ReturnType<typeof load>>, task: number) => s.tasks.find((t) => t.issue.number === task)!.runs.map((r) => [r.id, r.status, r.conclusion]);

// A claimed task's runs come from one list that primes the ledger, then from the ledger while it is fresh.
describe("gateway with a run ledger", () => {
  it("lists once and primes, then serves from the ledger without a request", async () => {
    const { milestone, task, run } = await claimedTask();
    const first = await load(milestone);
    expect(runLists()).toHaveLength(1);
    expect(first.runsFromLedger).toBeUndefined();
    expect(taskRuns(first, task)).toEqual([[run.id, "queued", null]]);
    // The list covered runs created since the plan (a minute's margin): the ledger vouches for those, not for older ones.
    const repoKey = `${sandbox.repo.owner.login}/${sandbox.repo.name}`;
    expect((await ledger.runs(repoKey, { createdSince: run.createdAt }))?.map((r) => r.id)).toEqual([run.id]);
    expect(await ledger.runs(repoKey)).toBeNull();

    const second = await load(milestone);
    expect(runLists()).toEqual([]);
    expect(second.runsFromLedger).toBe(true);
    expect(taskRuns(second, task)).toEqual([[run.id, "queued", null]]);
  });

  it("lists again with freshRuns: true, and the listed state is what the snapshot shows", async () => {
    const { milestone, task, run } = await claimedTask();
    await load(milestone);
    clock.advance(1_000);
    sandbox.state.startRun(sandbox.repo, run); // no webhook reaches the ledger here
    runLists();
    expect(taskRuns(await load(milestone), task)).toEqual([[run.id, "queued", null]]);
    expect(runLists()).toEqual([]);
    const fresh = await load(milestone, true);
    expect(runLists()).toHaveLength(1);
    expect(fresh.runsFromLedger).toBeUndefined();
    expect(taskRuns(fresh, task)).toEqual([[run.id, "in_progress", null]]);
  });

  it("lists again once the freshness window has passed", async () => {
    const { milestone } = await claimedTask();
    await load(milestone);
    expect(runLists()).toHaveLength(1);
    clock.advance(FRESH_MS);
    expect((await load(milestone)).runsFromLedger).toBe(true);
    expect(runLists()).toEqual([]);
    clock.advance(1);
    const stale = await load(milestone);
    expect(runLists()).toHaveLength(1);
    expect(stale.runsFromLedger).toBeUndefined();
    expect((await load(milestone)).runsFromLedger).toBe(true);
    expect(runLists()).toEqual([]);
  });

  it("shows a run recorded with a newer status in the next snapshot, without listing (other milestones' runs left out)", async () => {
    const { milestone, task, run } = await claimedTask();
    const first = await load(milestone);
    const listed = first.tasks.find((t) => t.issue.number === task)!.runs[0]!;
    clock.advance(5_000);
    const repo = `${sandbox.repo.owner.login}/${sandbox.repo.name}`;
    await ledger.record(repo, { ...listed, status: "completed", conclusion: "failure", updatedAt: clock.now() });
    await ledger.record(repo, { ...listed, id: run.id + 1000, key: { ...listed.key, milestone: milestone + 1 } });
    runLists();
    const next = await load(milestone);
    expect(runLists()).toEqual([]);
    expect(next.runsFromLedger).toBe(true);
    expect(taskRuns(next, task)).toEqual([[run.id, "completed", "failure"]]);
  });

  it("needs no list for a milestone planned while the process was up: its ledger heard the runs", async () => {
    const { milestone, task, run } = await claimedTask({ processUp: true });
    const repo = `${sandbox.repo.owner.login}/${sandbox.repo.name}`;
    const unheard = await load(milestone);
    expect(runLists()).toEqual([]);
    expect(unheard.runsFromLedger).toBe(true);
    expect(taskRuns(unheard, task)).toEqual([]);
    // The run's webhook, as the app records it (here: the run as another process's list shows it).
    const other = createOctokitGateway({ octokit, owner: sandbox.repo.owner.login, repo: sandbox.repo.name, clock });
    const listed = (await other.loadSnapshot(milestone, { botLogin: BOT, includeRuns: "auto" }))!.tasks.find((t) => t.issue.number === task)!.runs[0]!;
    await ledger.record(repo, listed);
    runLists();
    const heard = await load(milestone);
    expect(runLists()).toEqual([]);
    expect(taskRuns(heard, task)).toEqual([[run.id, "queued", null]]);
    clock.advance(FRESH_MS + 1);
    await load(milestone);
    expect(runLists()).toHaveLength(1);
  });

  it("lists nothing and reads no ledger when no task holds a claim branch", async () => {
    const { milestone, task } = await claimedTask();
    sandbox.state.deleteRef(sandbox.repo, `architect/${task}-task-a`, sandbox.state.ensureUser("maintainer"));
    // Waiting on a dependency: it has not run (a task that may have run, e.g. failed with its branch deleted, lists runs).
    const issue = sandbox.repo.issues.get(task)!;
    sandbox.state.removeLabel(sandbox.repo, issue, "architect:running", sandbox.maintainer);
    sandbox.state.addLabels(sandbox.repo, issue, ["architect:blocked"], sandbox.maintainer);
    const s = await load(milestone);
    expect(runLists()).toEqual([]);
    expect(s.runsFromLedger).toBeUndefined();
    expect(taskRuns(s, task)).toEqual([]);
    expect(await ledger.runs(`${sandbox.repo.owner.login}/${sandbox.repo.name}`)).toBeNull();
  });
});
