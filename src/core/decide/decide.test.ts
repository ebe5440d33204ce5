import { describe, expect, it } from "vitest";
import type { Decision, Effect } from "./effects.js";
import type { Snapshot, StatusRecord, TaskFacts } from "./snapshot.js";
import { decide } from "./decide.js";
import { decodeMarker } from "../markers/markers.js";
import { HOLD_LABEL, STATE_LABELS } from "../../shared/labels.js";
import {
  REQUESTER,
  allRepoLabels,
  dagCheck,
  makeCheck,
  makeConfig,
  makeControl,
  makePull,
  makeReview,
  makeRun,
  makeSnapshot,
  makeTask,
  min,
  planTask,
} from "./test-builders.js";

const config = makeConfig();
const diamondPlan = [
  planTask("a"),
  planTask("b", { depends_on: ["a"] }),
  planTask("c", { depends_on: ["a"], estimate: 5 }),
  planTask("d", { depends_on: ["b", "c"] }),
];
const control = makeControl(diamondPlan);
const kinds = (d: Decision) => d.effects.map((e) => e.kind);
const ofKind = <K extends Effect["kind"]>(d: Decision, kind: K) => d.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);

/** The diamond as issues: a done, the rest as given (all links in place, labels matching their states). */
function diamond(over: Partial<Record<"a" | "b" | "c" | "d", TaskFacts>> = {}): TaskFacts[] {
  return [
    over.a ?? makeTask(2, "a", { state: "done", issue: { state: "closed", stateReason: "completed" }, pull: makePull(20, { state: "merged" }) }),
    over.b ?? makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "ready" }),
    over.c ?? makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "ready", estimate: 5 }),
    over.d ?? makeTask(5, "d", { dependsOn: ["b", "c"], blockedBy: [3, 4], state: "blocked" }),
  ];
}

describe("decide: materialising the plan", () => {
  it("creates every task of a diamond plan from empty, ready or blocked by its dependencies", () => {
    const d = decide(makeSnapshot({ controlValue: control }), config, min(0));
    const creates = ofKind(d, "createTask");
    expect(kinds(d)).toEqual(["createTask", "createTask", "createTask", "createTask"]);
    expect(creates.map((c) => [c.key, c.title, c.labels])).toEqual([
      ["a", "Task a", ["architect:task", "architect:ready"]],
      ["b", "Task b", ["architect:task", "architect:blocked"]],
      ["c", "Task c", ["architect:task", "architect:blocked"]],
      ["d", "Task d", ["architect:task", "architect:blocked"]],
    ]);
    expect(decodeMarker("task", creates[3]?.body)).toEqual({ milestone: 1, planId: "plan-1", key: "d", dependsOn: ["b", "c"], agent: "claude", scope: [], estimate: 1 });
  });

  it("creates the missing labels of the happy path with the issues, in one pass", () => {
    const labels = allRepoLabels();
    delete labels["architect:ready"];
    delete labels["architect:task"];
    delete labels["architect:review"];
    delete labels["architect:held"];
    const d = decide(makeSnapshot({ controlValue: control, repoLabels: labels }), config, min(0));
    expect(kinds(d)).toEqual(["createLabels", "createTask", "createTask", "createTask", "createTask"]);
    // Labels every task passes through; one no task needs yet (held) is not created.
    expect(ofKind(d, "createLabels")[0]?.labels.map((l) => l.name)).toEqual(["architect:task", "architect:ready", "architect:review"]);
  });

  it("creates nothing while plan approval is pending", () => {
    const d = decide(makeSnapshot({ controlValue: makeControl(diamondPlan, { approvedBy: null }) }), config, min(0));
    expect(d.effects).toEqual([]);
  });

  it("does nothing without a control record, but still derives states", () => {
    const d = decide(makeSnapshot({ controlValue: null, tasks: [makeTask(2, "a", { state: "blocked" })] }), config, min(0));
    expect(d.effects).toEqual([]);
    expect(d.states[2]?.state).toBe("ready");
  });

  it("skips removed keys and links every dependency that has an issue", () => {
    const tasks = [makeTask(2, "a", { state: "ready" }), makeTask(3, "b", { dependsOn: ["a"], state: "blocked" })];
    const d = decide(makeSnapshot({ controlValue: makeControl(diamondPlan.slice(0, 3), { removedKeys: ["c"] }), tasks }), makeConfig({ caps: { repo: 6, milestone: 1 } }), min(0));
    expect(ofKind(d, "createTask")).toEqual([]);
    expect(ofKind(d, "linkBlockedBy")).toEqual([{ kind: "linkBlockedBy", task: 3, taskNodeId: "I_3", blocker: 2, blockerId: 2000, blockerNodeId: "I_2" }]);
  });

  it("on replan closes unstarted tasks no longer planned and rewrites changed ones", () => {
    const plan = [planTask("a", { title: "A, renamed" })];
    const tasks = [
      makeTask(2, "a", { state: "ready", labels: [HOLD_LABEL] }),
      makeTask(3, "gone", { state: "ready", labels: [HOLD_LABEL] }),
      makeTask(4, "busy", { state: "running", claimed: true, runs: [makeRun(4, 1, { status: "in_progress", conclusion: null, createdAt: min(0) })] }),
    ];
    const d = decide(makeSnapshot({ controlValue: makeControl(plan), tasks }), config, min(1));
    expect(ofKind(d, "updateTask").map((e) => [e.issue, e.title])).toEqual([[2, "A, renamed"]]);
    expect(ofKind(d, "closeIssue")).toEqual([{ kind: "closeIssue", issue: 3, issueNodeId: "I_3", reason: "not_planned" }]);
    expect(d.states[3]?.state).toBe("cancelled");
    expect(d.states[4]?.state).toBe("running");
  });
});

describe("decide: dispatching", () => {
  it("starts only tasks whose dependencies are done, highest remaining path first, within the milestone cap", () => {
    const snapshot = makeSnapshot({ controlValue: control, tasks: diamond() });
    const d = decide(snapshot, makeConfig({ caps: { repo: 6, milestone: 1 } }), min(0));
    expect(kinds(d)).toEqual(["dispatch", "setLabels"]);
    expect(ofKind(d, "dispatch")[0]).toEqual({
      kind: "dispatch",
      task: 4,
      claim: { branch: "architect/4-task-c", sha: "base" },
      workflow: "architect-agent.yml",
      ref: "main",
      runTitle: "architect 1/4/1/initial",
      inputs: { task: "4", milestone: "1", branch: "architect/4-task-c", base: "main", run_key: "architect 1/4/1/initial", agent: "claude", attempt: "1", mode: "initial", correlation_id: `m${snapshot.milestone.id}-t4` },
    });
    expect(ofKind(d, "setLabels")).toEqual([{ kind: "setLabels", issue: 4, issueNodeId: "I_4", add: ["architect:running"], remove: ["architect:ready"] }]);
    expect(d.statusRecord.dispatches).toEqual({ "4": { seq: 1, at: min(0) } });
    expect(d.states[3]?.state).toBe("ready");
    expect(d.states[5]?.state).toBe("blocked");
    expect(d.wakeAt).toBe(min(5));
  });

  it("looks one step ahead: starts b beside a instead of the two longest paths when that finishes sooner", () => {
    // a 2h → c 4h, b 4h, d 6h on two agents: a and d first ends at 10h, b and a first at 8h.
    const plan = [planTask("a", { estimate: 2 }), planTask("b", { estimate: 4 }), planTask("c", { depends_on: ["a"], estimate: 4 }), planTask("d", { estimate: 6 })];
    const tasks = [
      makeTask(2, "a", { state: "ready", estimate: 2 }),
      makeTask(3, "b", { state: "ready", estimate: 4 }),
      makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "blocked", estimate: 4 }),
      makeTask(5, "d", { state: "ready", estimate: 6 }),
    ];
    const d = decide(makeSnapshot({ controlValue: makeControl(plan), tasks }), makeConfig({ caps: { repo: 6, milestone: 2 } }), min(0));
    expect(ofKind(d, "dispatch").map((e) => e.task)).toEqual([3, 2]);
  });

  it.each([
    // w (9h) started 8h ago frees its slot in 1h: a now, b when w ends, c after a → 7h.
    { started: 0, picks: [3] },
    // w started just now holds its slot 9h: nothing beats the priority order, b first.
    { started: 8 * 60, picks: [4] },
    // w's first run (8h ago) failed and its retry was dispatched just now: the retry holds the slot 9h.
    { started: 0, retriedAt: 8 * 60, picks: [4] },
  ])("counts a running task's slot as busy for its estimate less the time its current attempt has taken (run at minute $started, retry at $retriedAt)", ({ started, retriedAt, picks }) => {
    const plan = [planTask("w", { estimate: 9 }), planTask("a", { estimate: 4 }), planTask("b", { estimate: 6 }), planTask("c", { estimate: 3 })];
    const run = retriedAt === undefined
      ? makeRun(2, 1, { status: "in_progress", conclusion: null, createdAt: min(started), updatedAt: min(started) })
      : makeRun(2, 1, { conclusion: "failure", createdAt: min(started), updatedAt: min(started + 30) });
    const dispatches: StatusRecord["dispatches"] = retriedAt === undefined ? {} : { "2": { seq: 2, at: min(retriedAt) } };
    const tasks = [
      makeTask(2, "w", { state: "running", estimate: 9, claimed: true, runs: [run] }),
      makeTask(3, "a", { state: "ready", estimate: 4 }),
      makeTask(4, "b", { state: "ready", estimate: 6 }),
      makeTask(5, "c", { state: "ready", estimate: 3 }),
    ];
    const config = makeConfig({ caps: { repo: 6, milestone: 2 }, timeouts: { run_minutes: 24 * 60, dispatch_grace_minutes: 5 } });
    const d = decide(makeSnapshot({ controlValue: makeControl(plan), tasks, dispatches }), config, min(8 * 60));
    expect(d.states[2]?.state).toBe("running");
    expect(ofKind(d, "dispatch").map((e) => e.task)).toEqual(picks);
  });

  it("reports a dispatched task as the next look will, so that look does not rewrite the status for wording", () => {
    const d = decide(makeSnapshot({ controlValue: control, tasks: diamond() }), makeConfig({ caps: { repo: 6, milestone: 1 } }), min(0));
    const claimed = diamond({ c: makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "running", estimate: 5, claimed: true }) });
    const next = decide(makeSnapshot({ controlValue: control, tasks: claimed, dispatches: d.statusRecord.dispatches }), makeConfig({ caps: { repo: 6, milestone: 1 } }), min(1));
    expect(next.states[4]).toEqual(d.states[4]);
    expect(d.states[4]?.reason).toBe("run 1 dispatched, waiting for it to start");
  });

  it("counts other milestones' running tasks against the repository cap", () => {
    const snapshot = makeSnapshot({ controlValue: control, tasks: diamond(), runningElsewhere: 5 });
    expect(ofKind(decide(snapshot, config, min(0)), "dispatch").map((e) => e.task)).toEqual([4]);
  });

  it("uses a configured agent named by an agent: label, and assigns Copilot once", () => {
    const cfg = makeConfig({ agents: [{ name: "claude" }, { name: "copilot", kind: "copilot" }] });
    const tasks = diamond({ b: makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "ready", labels: ["agent:copilot"] }) });
    const d = decide(makeSnapshot({ controlValue: control, tasks }), cfg, min(0));
    expect(ofKind(d, "assignCopilot")).toEqual([{ kind: "assignCopilot", task: 3, issueNodeId: "I_3" }]);
    const again = decide(makeSnapshot({ controlValue: control, tasks, dispatches: d.statusRecord.dispatches }), cfg, min(1));
    expect(ofKind(again, "assignCopilot")).toEqual([]);
    expect(again.states[3]).toEqual({ state: "running", reason: "assigned to Copilot" });
  });

  it("does not dispatch a task whose agent is unknown", () => {
    const tasks = diamond({ b: makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "ready", agent: "ghost" }) });
    const d = decide(makeSnapshot({ controlValue: control, tasks }), makeConfig({ default_agent: "nobody" }), min(0));
    expect(ofKind(d, "dispatch").map((e) => e.task)).toEqual([4]); // c names a configured agent
    expect(d.states[3]).toEqual({ state: "needs-human", reason: "unknown agent ghost" });
    expect(ofKind(d, "setLabels").find((e) => e.issue === 3)).toMatchObject({ add: ["architect:needs-human"], remove: ["architect:ready"] });
  });

  it("holds new starts while paused, and while the budget is spent until approved", () => {
    const paused = decide(makeSnapshot({ controlValue: makeControl(diamondPlan, { paused: true }), tasks: diamond() }), config, min(0));
    expect(ofKind(paused, "dispatch")).toEqual([]);
    expect(paused.states[3]).toEqual({ state: "ready", reason: "paused" });

    const usage = [{ provider: "openai", model: "m", inputTokens: 1, outputTokens: 1, usd: 3 }];
    const cfg = makeConfig({ budget: { usd: 2 } });
    const spent = decide(makeSnapshot({ controlValue: makeControl(diamondPlan, { usage }), tasks: diamond() }), cfg, min(0));
    expect(ofKind(spent, "dispatch")).toEqual([]);
    expect(spent.states[3]?.reason).toBe("waiting for /architect approve (budget)");
    // Spend equal to the budget plus what was approved already holds (one rule: reached, not passed).
    const exactly = decide(makeSnapshot({ controlValue: makeControl(diamondPlan, { usage, budgetApprovedUsd: 1 }), tasks: diamond() }), cfg, min(0));
    expect(ofKind(exactly, "dispatch")).toEqual([]);
    const approved = decide(makeSnapshot({ controlValue: makeControl(diamondPlan, { usage, budgetApprovedUsd: 1.5 }), tasks: diamond() }), cfg, min(0));
    expect(ofKind(approved, "dispatch").map((e) => e.task)).toEqual([4, 3]);
  });

  it("counts what agents spent, as their PRs report it, toward the budget", () => {
    const cfg = makeConfig({ budget: { usd: 2 }, prices: { "gpt-x": { input_per_mtok: 1, output_per_mtok: 2 } } });
    const cost = (runKey: string, usd: number | null, inputTokens = 0) => ({ runKey, tool: "codex", model: "gpt-x", inputTokens, outputTokens: 0, usd, seconds: 60 });
    const withSpend = (costs: ReturnType<typeof cost>[]) =>
      diamond({ a: makeTask(2, "a", { state: "done", issue: { state: "closed", stateReason: "completed" }, pull: makePull(20, { state: "merged", costs }) }) });
    // Claude Code's own dollars, and Codex tokens priced by the table: $1.5 + 1M input tokens at $1/M.
    const over = decide(makeSnapshot({ controlValue: makeControl(diamondPlan), tasks: withSpend([cost("1/2/1/initial", 1.5), cost("1/2/2/retry", null, 1_000_000)]) }), cfg, min(0));
    expect(ofKind(over, "dispatch")).toEqual([]);
    expect(over.states[3]?.reason).toBe("waiting for /architect approve (budget)");
    const under = decide(makeSnapshot({ controlValue: makeControl(diamondPlan), tasks: withSpend([cost("1/2/1/initial", 1.5)]) }), cfg, min(0));
    expect(ofKind(under, "dispatch").map((e) => e.task)).toEqual([4, 3]);
  });
});

describe("decide: run loops", () => {
  const claimedC = (runs: ReturnType<typeof makeRun>[], over: Partial<Parameters<typeof makeTask>[2]> = {}) =>
    makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "running", claimed: true, runs, ...over });
  const snap = (c: TaskFacts, dispatches: StatusRecord["dispatches"] = { "4": { seq: c.runs.length || 1, at: min(0) } }, cfgControl = control) =>
    makeSnapshot({ controlValue: cfgControl, tasks: diamond({ b: makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "held", labels: [HOLD_LABEL] }), c }), dispatches });

  it("retries a failed run after the backoff, waking up when it ends", () => {
    const c = claimedC([makeRun(4, 1, { conclusion: "failure", updatedAt: min(10) })]);
    const early = decide(snap(c), config, min(10.5));
    expect(early.effects).toEqual([]);
    expect(early.wakeAt).toBe(min(11));
    const due = decide(snap(c), config, min(11));
    expect(ofKind(due, "dispatch")).toMatchObject([{ task: 4, claim: null, runTitle: "architect 1/4/2/retry", inputs: { attempt: "2", mode: "retry", branch: "architect/4-task-c" } }]);
    expect(due.statusRecord.dispatches["4"]).toEqual({ seq: 2, at: min(11) });
  });

  it("holds a retry back while the same pass changes structure (the status record is written on the settling pass)", () => {
    const c = claimedC([makeRun(4, 1, { conclusion: "failure", updatedAt: min(10) })]);
    const grown = makeControl([...diamondPlan, planTask("e")]);
    const d = decide(snap(c, undefined, grown), config, min(12));
    expect(kinds(d)).toEqual(["createTask"]);
    expect(d.statusRecord.dispatches["4"]).toEqual({ seq: 1, at: min(0) });
    expect(d.wakeAt).toBe(min(12) + 1000);
  });

  it("sends a retry in a pass that only adds dependency links (they need no second look)", () => {
    const c = { ...claimedC([makeRun(4, 1, { conclusion: "failure", updatedAt: min(10) })]), blockedBy: [] };
    const d = decide(snap(c), config, min(12));
    expect(kinds(d)).toEqual(["linkBlockedBy", "dispatch"]);
    expect(d.statusRecord.dispatches["4"]).toEqual({ seq: 2, at: min(12) });
  });

  it("doubles the backoff with each attempt", () => {
    const c = claimedC([makeRun(4, 1, { conclusion: "failure" }), makeRun(4, 2, { conclusion: "failure", updatedAt: min(20) })]);
    expect(decide(snap(c), config, min(21)).wakeAt).toBe(min(22));
  });

  it("treats a successful run that opened no PR as a failed attempt", () => {
    const c = claimedC([makeRun(4, 1, { conclusion: "success", updatedAt: min(10) })]);
    expect(ofKind(decide(snap(c), config, min(12)), "dispatch").map((e) => e.runTitle)).toEqual(["architect 1/4/2/retry"]);
  });

  it("fails a task whose attempts are exhausted and blocks its dependents", () => {
    const runs = [1, 2, 3].map((s) => makeRun(4, s, { conclusion: "failure" }));
    const d = decide(snap(claimedC(runs)), config, min(100));
    expect(ofKind(d, "dispatch")).toEqual([]);
    expect(d.states[4]?.state).toBe("failed");
    expect(d.states[5]).toEqual({ state: "blocked", reason: "dependency c failed" });
    expect(ofKind(d, "setLabels")).toEqual([{ kind: "setLabels", issue: 4, issueNodeId: "I_4", add: ["architect:failed"], remove: ["architect:running"] }]);
  });

  it("cancels a stalled run, and otherwise wakes at its deadline", () => {
    const c = claimedC([makeRun(4, 1, { status: "in_progress", conclusion: null, createdAt: min(0) })]);
    const before = decide(snap(c), config, min(30));
    expect(before.effects).toEqual([]);
    expect(before.wakeAt).toBe(min(60));
    const after = decide(snap(c), config, min(61));
    expect(after.effects).toEqual([{ kind: "cancelRun", task: 4, runId: 401, reason: "no result after 60 minutes" }]);
  });

  it("re-sends a lost dispatch once with the same sequence, then asks a person", () => {
    const c = claimedC([]);
    const waiting = decide(snap(c, { "4": { seq: 1, at: min(0) } }), config, min(3));
    expect(waiting.effects).toEqual([]);
    expect(waiting.wakeAt).toBe(min(5));
    const resent = decide(snap(c, { "4": { seq: 1, at: min(0) } }), config, min(6));
    expect(ofKind(resent, "dispatch")).toMatchObject([{ task: 4, claim: null, runTitle: "architect 1/4/1/initial", inputs: { attempt: "1" } }]);
    expect(resent.statusRecord.dispatches["4"]).toEqual({ seq: 1, at: min(6), resent: true });
    const gaveUp = decide(snap(c, resent.statusRecord.dispatches), config, min(12));
    expect(ofKind(gaveUp, "dispatch")).toEqual([]);
    expect(gaveUp.states[4]?.state).toBe("needs-human");
  });

  it("after a crash between claim and dispatch, records the claim and waits the grace period", () => {
    const d = decide(snap(claimedC([]), {}), config, min(3));
    expect(d.effects).toEqual([]);
    expect(d.statusRecord.dispatches).toEqual({ "4": { seq: 1, at: min(3) } });
    expect(d.wakeAt).toBe(min(8));
  });

  it("answers an eligible changes request with a review run, until the cycles run out", () => {
    const request = makeReview("bob", "CHANGES_REQUESTED", { submittedAt: min(30) });
    const pull = makePull(40, { reviews: [request], checks: [makeCheck("ci"), dagCheck("pending", "Waiting for 1 approval")] });
    const c = claimedC([makeRun(4, 1)], { pull, state: "review" });
    const d = decide(snap(c), config, min(31));
    expect(ofKind(d, "dispatch")).toMatchObject([{ task: 4, claim: null, runTitle: "architect 1/4/2/review", inputs: { mode: "review", attempt: "1", review_id: String(request.id) } }]);

    const answered = [makeRun(4, 1), makeRun(4, 2, { mode: "review", createdAt: min(20) }), makeRun(4, 3, { mode: "review", createdAt: min(25) })];
    const exhausted = decide(snap(claimedC(answered, { pull, state: "review" }), { "4": { seq: 3, at: min(25) } }), config, min(31));
    expect(ofKind(exhausted, "dispatch")).toEqual([]);
    expect(exhausted.states[4]?.state).toBe("needs-human");
  });

  it("names the eligible review in the dispatch, not a stranger's later one (issue 10)", () => {
    const request = makeReview("bob", "CHANGES_REQUESTED", { id: 501, submittedAt: min(30) });
    const stranger = makeReview("mallory", "CHANGES_REQUESTED", { id: 502, submittedAt: min(30.5), authorCanWrite: false });
    const pull = makePull(40, { reviews: [request, stranger], checks: [makeCheck("ci"), dagCheck("pending", "Waiting for 1 approval")] });
    const d = decide(snap(claimedC([makeRun(4, 1)], { pull, state: "review" })), config, min(31));
    expect(ofKind(d, "dispatch").map((e) => e.inputs)).toMatchObject([{ mode: "review", review_id: "501" }]);
  });

  it("sends no review id with other modes", () => {
    const pull = makePull(40, { checks: [makeCheck("ci", { conclusion: "failure" }), dagCheck("pending", "Waiting for 1 approval")] });
    const d = decide(snap(claimedC([makeRun(4, 1, { updatedAt: min(10) })], { pull, state: "review" })), config, min(12));
    expect(ofKind(d, "dispatch").map((e) => Object.keys(e.inputs))).toEqual([["task", "milestone", "branch", "base", "run_key", "agent", "attempt", "mode", "correlation_id"]]);
  });

  it("ignores a changes request from the requester", () => {
    const pull = makePull(40, { reviews: [makeReview(REQUESTER, "CHANGES_REQUESTED", { submittedAt: min(30) })], checks: [makeCheck("ci"), dagCheck("pending", "Waiting for 1 approval")] });
    const d = decide(snap(claimedC([makeRun(4, 1)], { pull, state: "review" })), config, min(31));
    expect(d.effects).toEqual([]);
  });

  it("retries when the PR's required checks are red", () => {
    const pull = makePull(40, { checks: [makeCheck("ci", { conclusion: "failure" }), dagCheck("pending", "Waiting for 1 approval")] });
    const d = decide(snap(claimedC([makeRun(4, 1, { updatedAt: min(10) })], { pull, state: "review" })), config, min(12));
    expect(ofKind(d, "dispatch").map((e) => e.runTitle)).toEqual(["architect 1/4/2/retry"]);
  });
});

describe("decide: merging", () => {
  const approved = makeReview("bob", "APPROVED");
  const reviewTask = (pull: Parameters<typeof makePull>[1], over: Parameters<typeof makeTask>[2] = {}) =>
    makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "review", pull: makePull(40, pull), runs: [makeRun(4, 1)], ...over });
  const run = (c: TaskFacts, cfg = config, ctl = control) =>
    decide(makeSnapshot({ controlValue: ctl, tasks: diamond({ b: makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "held", labels: [HOLD_LABEL] }), c }), dispatches: { "4": { seq: 1, at: 0 } } }), cfg, min(60));
  const green = [makeCheck("ci"), dagCheck("success", "Dependencies merged and approvals met")];

  it("sets architect/dag and merges when dependencies are merged and an eligible person approved", () => {
    const d = run(reviewTask({ reviews: [approved] }));
    expect(kinds(d)).toEqual(["setDagCheck", "merge"]);
    expect(ofKind(d, "setDagCheck")[0]).toMatchObject({ pull: 40, headSha: "head", checkNodeId: null, status: "success" });
    expect(ofKind(d, "merge")[0]).toEqual({ kind: "merge", task: 4, pull: 40, pullNodeId: "PR_40", headSha: "head", method: "squash" });
  });

  it("does not count the requester's approval", () => {
    const d = run(reviewTask({ reviews: [makeReview(REQUESTER, "APPROVED")] }));
    expect(ofKind(d, "setDagCheck")).toMatchObject([{ status: "pending", title: "Waiting for 1 approval" }]);
    expect(ofKind(d, "merge")).toEqual([]);
  });

  it("names the dependency a PR waits for", () => {
    const b = makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "running", claimed: true, runs: [makeRun(3, 1, { status: "in_progress", conclusion: null, createdAt: min(59) })] });
    const d4 = makeTask(5, "d", { dependsOn: ["b", "c"], blockedBy: [3, 4], state: "review", pull: makePull(41, { reviews: [approved] }), runs: [makeRun(5, 1)] });
    const d = decide(makeSnapshot({ controlValue: control, tasks: diamond({ b, c: makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "done", issue: { state: "closed", stateReason: "completed" } }), d: d4 }), dispatches: { "3": { seq: 1, at: 0 }, "5": { seq: 1, at: 0 } } }), config, min(60));
    expect(ofKind(d, "setDagCheck")).toMatchObject([{ task: 5, status: "pending", title: "Waiting for #3 (b) to merge" }]);
    expect(ofKind(d, "merge")).toEqual([]);
  });

  it.each<{ name: string; pull: Parameters<typeof makePull>[1]; over?: Parameters<typeof makeTask>[2]; cfg?: Record<string, unknown>; paused?: boolean; want: string[] }>([
    { name: "all green merges", pull: { reviews: [approved], checks: green }, want: ["merge"] },
    { name: "a draft does not merge", pull: { reviews: [approved], checks: green, isDraft: true }, want: [] },
    { name: "conflicts do not merge", pull: { reviews: [approved], checks: green, mergeable: "CONFLICTING" }, want: [] },
    { name: "unknown mergeability does not merge", pull: { reviews: [approved], checks: green, mergeable: "UNKNOWN" }, want: [] },
    { name: "pending required checks do not merge", pull: { reviews: [approved], checks: [makeCheck("ci", { status: "in_progress", conclusion: null }), ...green.slice(1)] }, want: [] },
    { name: "paused does not merge", pull: { reviews: [approved], checks: green }, paused: true, want: [] },
    { name: "auto mode enables auto-merge", pull: { reviews: [approved], checks: green }, cfg: { merge: { mode: "auto" } }, want: ["enableAutoMerge"] },
    { name: "auto mode leaves enabled auto-merge alone", pull: { reviews: [approved], checks: green, autoMergeEnabled: true }, cfg: { merge: { mode: "auto" } }, want: [] },
    { name: "off mode leaves merging to people", pull: { reviews: [approved], checks: green }, cfg: { merge: { mode: "off" } }, want: [] },
  ])("$name", ({ pull, over, cfg, paused, want }) => {
    const d = run(reviewTask(pull, over), makeConfig(cfg ?? {}), makeControl(diamondPlan, { paused: paused ?? false }));
    expect(kinds(d)).toEqual(want);
  });

  it("does not trust an architect/dag check reported by another app", () => {
    const forged = makeCheck("architect/dag", { title: "Dependencies merged and approvals met", appSlug: "evil" });
    const d = run(reviewTask({ reviews: [approved], checks: [makeCheck("ci"), forged] }));
    expect(ofKind(d, "setDagCheck")).toMatchObject([{ checkNodeId: null, status: "success" }]);
  });

  it("closes the issue of a merged PR", () => {
    const c = makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "done", pull: makePull(40, { state: "merged" }) });
    const d = run(c);
    expect(ofKind(d, "closeIssue")).toEqual([{ kind: "closeIssue", issue: 4, issueNodeId: "I_4", reason: "completed" }]);
    expect(d.states[4]?.state).toBe("done");
  });
});

describe("decide: convergence and projection", () => {
  it("emits nothing for a world that already matches", () => {
    const tasks = diamond({
      b: makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "review", pull: makePull(30, { checks: [makeCheck("ci"), dagCheck("pending", "Waiting for 1 approval")] }), runs: [makeRun(3, 1)] }),
      c: makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "running", claimed: true, runs: [makeRun(4, 1, { status: "in_progress", conclusion: null, createdAt: min(0) })] }),
    });
    const dispatches = { "3": { seq: 1, at: min(0) }, "4": { seq: 1, at: min(0) } };
    const d = decide(makeSnapshot({ controlValue: control, tasks, dispatches }), config, min(10));
    expect(d.effects).toEqual([]);
    expect(d.statusRecord.dispatches).toEqual(dispatches);
    expect(d.wakeAt).toBe(min(60));
  });

  it("moves labels with the minimal change and never touches people's labels", () => {
    const c = makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], labels: ["bug", STATE_LABELS.blocked.name, STATE_LABELS.ready.name, HOLD_LABEL] });
    const d = decide(makeSnapshot({ controlValue: control, tasks: diamond({ c }) }), makeConfig({ caps: { repo: 6, milestone: 1 } }), min(0));
    expect(ofKind(d, "setLabels").filter((e) => e.issue === 4)).toEqual([
      { kind: "setLabels", issue: 4, issueNodeId: "I_4", add: ["architect:held"], remove: ["architect:blocked", "architect:ready"] },
    ]);
  });

  it("orders effects: labels, creates, updates, links, closes, checks, merges, cancels, dispatches, label moves", () => {
    const labels = allRepoLabels();
    delete labels["architect:running"];
    const tasks = [
      makeTask(2, "a", { title: "old title", state: "ready" }),
      makeTask(3, "b", { dependsOn: ["a"], state: "review", pull: makePull(30, { reviews: [makeReview("bob", "APPROVED")] }), runs: [makeRun(3, 1)] }),
      makeTask(4, "c", { dependsOn: ["a"], state: "running", claimed: true, runs: [makeRun(4, 1, { status: "in_progress", conclusion: null, createdAt: min(0) })] }),
      makeTask(6, "gone", { state: "ready" }),
    ];
    const plan = [planTask("a"), planTask("b"), planTask("c"), planTask("e")];
    const d = decide(makeSnapshot({ controlValue: makeControl(plan), tasks, repoLabels: labels }), config, min(61));
    expect(kinds(d)).toEqual(["createLabels", "createTask", "updateTask", "linkBlockedBy", "linkBlockedBy", "closeIssue", "setDagCheck", "cancelRun", "dispatch", "setLabels", "setLabels"]);
  });
});

describe("decide: determinism", () => {
  it("returns the same decision for the same input", () => {
    const snapshot: Snapshot = makeSnapshot({ controlValue: control, tasks: diamond() });
    expect(decide(snapshot, config, min(0))).toEqual(decide(snapshot, config, min(0)));
  });
});
