import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/app/logger.js";
import { reconcileMilestone, RELOOK_AFTER_AMBIGUOUS_MS } from "../../src/app/reconcile.js";
import type { Snapshot } from "../../src/core/decide/snapshot.js";
import { BOT, dagCheck, makeCheck, makeConfig, makeControl, makePull, makeReview, makeRun, makeSnapshot, makeTask, min, planTask } from "../../src/core/decide/test-builders.js";
import type { BatchOp, BatchResult, CreatedIssue, GitHubGateway, NewSubIssue } from "../../src/github/gateway.js";
import { ManualClock } from "../github/manual-clock.js";

const config = makeConfig();

/** Task a (#2) green and approved; b (#3) waits on it. */
function world(): Snapshot {
  const pull = makePull(20, { reviews: [makeReview("bob", "APPROVED")], checks: [makeCheck("ci"), dagCheck("success", "Dependencies merged and approvals met")] });
  return makeSnapshot({
    controlValue: makeControl([planTask("a"), planTask("b", { depends_on: ["a"] })]),
    tasks: [makeTask(2, "a", { state: "review", pull, runs: [makeRun(2, 1)] }), makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "blocked" })],
    dispatches: { "2": { seq: 1, at: min(0) } },
  });
}

/**
 * Serves `read()` (default `world()`) on every read; answers merges with `merge` and sub-issue
 * creation with `created`; labels get ids from their names; records what was sent.
 */
function fakeGateway({
  read = world,
  merge = () => ({ ok: true }),
  created = () => [],
}: { read?: () => Snapshot; merge?: (op: BatchOp) => BatchResult; created?: (issues: NewSubIssue[]) => CreatedIssue[] }) {
  const reads: number[] = [];
  const batches: BatchOp[][] = [];
  const dispatched: Record<string, string>[] = [];
  const gateway = {
    owner: "acme",
    repo: "app",
    loadSnapshot: async () => (reads.push(reads.length + 1), read()),
    applyBatch: async (ops: BatchOp[]) => (batches.push(ops), ops.map((op) => (op.kind === "merge" ? merge(op) : { ok: true as const }))),
    createLabels: async (labels: { name: string }[]) => Object.fromEntries(labels.map((l) => [l.name, `LA_${l.name}`])),
    createSubIssues: async (_parent: unknown, _repo: string, issues: NewSubIssue[]) => created(issues),
    dispatchWorkflow: async (_w: string, _r: string, inputs: Record<string, string>) => (dispatched.push(inputs), { runId: null }),
  } as unknown as GitHubGateway;
  return { gateway, reads, batches, dispatched };
}

const reconcile = (gateway: GitHubGateway) => reconcileMilestone({ gateway, config, clock: new ManualClock(min(30)), log: silentLogger, botLogin: BOT }, 1);

// After its own merge lands, a reconcile starts the dependents without reading GitHub again.
describe("reconcile: the pass after a confirmed merge", () => {
  it("claims and dispatches the dependent from the merge commit, with one read in all", async () => {
    const { gateway, reads, batches, dispatched } = fakeGateway({ merge: () => ({ ok: true, mergeCommitSha: "m1" }) });
    const report = await reconcile(gateway);
    expect(reads).toEqual([1]);
    expect(report.passes).toBe(2);
    expect(batches[1]?.filter((op) => op.kind === "createRef")).toEqual([{ kind: "createRef", branch: "architect/3-task-b", sha: "m1" }]);
    expect(dispatched).toMatchObject([{ task: "3", mode: "initial" }]);
  });

  it.each([
    ["the merge failed", (): BatchResult => ({ ok: false, message: "Head branch was modified" })],
    ["the merge commit is unknown", (): BatchResult => ({ ok: true })],
  ])("reads again when %s", async (_name, merge) => {
    const { gateway, reads } = fakeGateway({ merge });
    await reconcile(gateway);
    expect(reads.length).toBeGreaterThan(1);
  });

  it("reports a reconcile cut short by the pass limit as unsettled, and looks again on its own", async () => {
    const { gateway } = fakeGateway({ merge: () => ({ ok: true, mergeCommitSha: "m1" }) });
    const cut = await reconcileMilestone({ gateway, config, clock: new ManualClock(min(30)), log: silentLogger, botLogin: BOT, maxPasses: 1 }, 1);
    expect(cut.settled).toBe(false);
    expect(cut.wakeAt).toBe(min(30) + RELOOK_AFTER_AMBIGUOUS_MS);
    const whole = await reconcile(fakeGateway({ merge: () => ({ ok: true, mergeCommitSha: "m1" }) }).gateway);
    expect(whole.settled).toBe(true);
  });
});


// A status edit that is all a look would write waits for the look the queue already has due.
describe("reconcile: a lone status edit", () => {
  const quiet = (): Snapshot =>
    makeSnapshot({
      controlValue: makeControl([planTask("a")]),
      tasks: [makeTask(2, "a", { state: "review", pull: makePull(20, { checks: [makeCheck("ci"), dagCheck("pending", "Waiting for 1 approval")] }), runs: [makeRun(2, 1)] })],
      dispatches: { "2": { seq: 1, at: min(0) } },
    });
  it.each([
    ["waits when another look is due", true, 0],
    ["is written when none is", false, 1],
  ])("%s", async (_name, looksAgain, batches) => {
    const sent: BatchOp[][] = [];
    const gateway = { owner: "acme", repo: "app", loadSnapshot: async () => quiet(), applyBatch: async (ops: BatchOp[]) => (sent.push(ops), ops.map(() => ({ ok: true as const }))) } as unknown as GitHubGateway;
    const report = await reconcileMilestone({ gateway, config, clock: new ManualClock(min(30)), log: silentLogger, botLogin: BOT, looksAgain: () => looksAgain }, 1);
    expect(report.decision?.effects).toEqual([]);
    expect(sent).toHaveLength(batches);
    if (batches) expect(sent[0]?.map((op) => op.kind)).toEqual(["updateComment"]);
  });
});

// After it creates a plan's sub-issues, a reconcile links and starts them without reading GitHub again.
describe("reconcile: the pass after creating the sub-issues", () => {
  const unplanned = () => makeSnapshot({ controlValue: makeControl([planTask("a"), planTask("b", { depends_on: ["a"] })]), tasks: [] });
  const numbered = (issues: NewSubIssue[]) => issues.map((issue, i) => ({ key: issue.key, number: 2 + i, id: 2000 + i, nodeId: `I_${2 + i}` }));

  it("links b to a and dispatches a in one batch, with one read in all", async () => {
    const { gateway, reads, batches, dispatched } = fakeGateway({ read: unplanned, created: numbered });
    const report = await reconcile(gateway);
    expect(reads).toEqual([1]);
    expect(report.settled).toBe(true);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.filter((op) => op.kind === "addBlockedBy")).toEqual([{ kind: "addBlockedBy", taskNodeId: "I_3", blockerNodeId: "I_2" }]);
    expect(batches[0]?.map((op) => op.kind).at(-1)).toBe("createRef");
    expect(dispatched).toMatchObject([{ task: "2", mode: "initial" }]);
  });

  it("reads again when GitHub did not report a sub-issue it was asked for", async () => {
    const { gateway, reads } = fakeGateway({ read: unplanned, created: (issues) => numbered(issues).slice(0, 1) });
    await reconcile(gateway);
    expect(reads.length).toBeGreaterThan(1);
  });
});
