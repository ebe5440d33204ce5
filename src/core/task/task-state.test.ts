import { describe, expect, it } from "vitest";
import type { TaskFacts } from "../decide/snapshot.js";
import { BOT, makeCheck, makeConfig, makeControl, makePull, makeReview, makeRun, makeTask, min } from "../decide/test-builders.js";
import { HOLD_LABEL } from "../../shared/labels.js";
import { deriveTaskState, type TaskStateContext } from "./task-state.js";
import { deriveTaskStates } from "./task-states.js";

const config = makeConfig({ retries: { max_attempts: 2, backoff_seconds: 60 }, reviews: { max_review_cycles: 1, required_approvals: 1 } });

function ctx(over: Partial<TaskStateContext> = {}): TaskStateContext {
  return {
    done: new Set(["dep"]),
    failed: new Set(),
    issueNumbers: new Map([["dep", 2]]),
    config,
    now: min(30),
    control: makeControl([]),
    botLogin: BOT,
    protection: { enabled: true, requiredChecks: ["ci"], requiredApprovals: 1 },
    dispatches: {},
    ...over,
  };
}

const failedRun = (seq: number) => makeRun(5, seq, { conclusion: "failure" });
const red = [makeCheck("ci", { conclusion: "failure" })];
const changes = makeReview("bob", "CHANGES_REQUESTED", { submittedAt: min(25) });

describe("deriveTaskState", () => {
  it.each<{ name: string; task: TaskFacts; ctx?: Partial<TaskStateContext>; state: string; reason?: RegExp }>([
    { name: "closed as not planned is cancelled", task: makeTask(5, "t", { issue: { state: "closed", stateReason: "not_planned" } }), state: "cancelled" },
    { name: "closed otherwise is done", task: makeTask(5, "t", { issue: { state: "closed", stateReason: "completed" } }), state: "done" },
    { name: "a merged PR is done even with the issue open", task: makeTask(5, "t", { pull: makePull(9, { state: "merged" }) }), state: "done", reason: /#9 merged/ },
    { name: "the hold label holds an idle task", task: makeTask(5, "t", { labels: [HOLD_LABEL] }), state: "held" },
    { name: "the hold label does not hide a run in progress", task: makeTask(5, "t", { labels: [HOLD_LABEL], claimed: true, runs: [makeRun(5, 1, { status: "in_progress", conclusion: null })] }), state: "running" },
    { name: "a failed dependency blocks", task: makeTask(5, "t", { dependsOn: ["dep", "bad"] }), ctx: { failed: new Set(["bad"]) }, state: "blocked", reason: /dependency bad failed/ },
    { name: "an open PR is in review", task: makeTask(5, "t", { pull: makePull(9), runs: [makeRun(5, 1)] }), state: "review", reason: /1 approval/ },
    { name: "running checks are not named while an approval is missing", task: makeTask(5, "t", { pull: makePull(9, { checks: [makeCheck("ci", { status: "in_progress", conclusion: null })] }), runs: [makeRun(5, 1)] }), state: "review", reason: /^waiting for 1 approval$/ },
    { name: "running checks are named once approvals are in", task: makeTask(5, "t", { pull: makePull(9, { reviews: [makeReview("carol", "APPROVED", { submittedAt: min(25) })], checks: [makeCheck("ci", { status: "in_progress", conclusion: null })] }), runs: [makeRun(5, 1)] }), state: "review", reason: /^waiting for required checks$/ },
    { name: "review names the dependency still to merge", task: makeTask(5, "t", { dependsOn: ["dep"], pull: makePull(9), runs: [makeRun(5, 1)] }), ctx: { done: new Set() }, state: "review", reason: /#2 \(dep\) to merge/ },
    { name: "review cycles exhausted with changes requested needs a human", task: makeTask(5, "t", { pull: makePull(9, { reviews: [changes] }), runs: [makeRun(5, 1), makeRun(5, 2, { mode: "review", createdAt: min(20) })] }), state: "needs-human", reason: /@bob/ },
    { name: "changes requested with cycles left stays in review", task: makeTask(5, "t", { pull: makePull(9, { reviews: [changes] }), runs: [makeRun(5, 1)] }), state: "review", reason: /review run pending/ },
    { name: "red checks with attempts exhausted fail", task: makeTask(5, "t", { pull: makePull(9, { checks: red }), runs: [makeRun(5, 1), makeRun(5, 2)] }), state: "failed" },
    { name: "red checks with attempts left stay in review", task: makeTask(5, "t", { pull: makePull(9, { checks: red }), runs: [makeRun(5, 1)] }), state: "review", reason: /retry pending/ },
    { name: "a retry grant reopens an exhausted task", task: makeTask(5, "t", { pull: makePull(9, { checks: red }), runs: [makeRun(5, 1), makeRun(5, 2)] }), ctx: { control: makeControl([], { retryGrants: { t: 1 } }) }, state: "review" },
    { name: "a PR closed without merging needs a human", task: makeTask(5, "t", { claimed: true, pull: makePull(9, { state: "closed" }) }), state: "needs-human", reason: /closed without merging/ },
    { name: "a claimed task with a run in progress is running", task: makeTask(5, "t", { claimed: true, runs: [makeRun(5, 1, { status: "queued", conclusion: null })] }), state: "running" },
    { name: "a failed run with attempts left is running (retry pending)", task: makeTask(5, "t", { claimed: true, runs: [failedRun(1)] }), state: "running", reason: /retry pending/ },
    { name: "a failed run with attempts exhausted fails", task: makeTask(5, "t", { claimed: true, runs: [failedRun(1), failedRun(2)] }), state: "failed", reason: /2 of 2 attempts/ },
    { name: "a successful run without a PR counts as a failed attempt", task: makeTask(5, "t", { claimed: true, runs: [makeRun(5, 1), makeRun(5, 2)] }), state: "failed", reason: /produced no PR/ },
    { name: "claimed without a run is running (dispatch pending)", task: makeTask(5, "t", { claimed: true }), state: "running", reason: /dispatch pending/ },
    { name: "a dispatch re-sent and still missing needs a human", task: makeTask(5, "t", { claimed: true }), ctx: { dispatches: { "5": { seq: 1, at: min(0), resent: true } } }, state: "needs-human" },
    { name: "unclaimed with dependencies done is ready", task: makeTask(5, "t", { dependsOn: ["dep"] }), state: "ready" },
    { name: "unclaimed with a dependency not done is blocked", task: makeTask(5, "t", { dependsOn: ["dep", "later"] }), state: "blocked", reason: /waiting on later/ },
    { name: "a dependency with no task yet counts as not done", task: makeTask(5, "t", { dependsOn: ["ghost"] }), state: "blocked", reason: /ghost/ },
    { name: "an unknown agent with no fallback needs a human", task: makeTask(5, "t", { agent: "nobody" }), ctx: { config: makeConfig({ default_agent: "ghost" }) }, state: "needs-human", reason: /unknown agent nobody/ },
    { name: "an unknown agent falls back to the default", task: makeTask(5, "t", { agent: "nobody" }), state: "ready" },
  ])("$name", ({ task, ctx: over, state, reason }) => {
    const got = deriveTaskState(task, ctx(over));
    expect(got.state).toBe(state);
    if (reason) expect(got.reason).toMatch(reason);
  });
});

describe("deriveTaskStates", () => {
  it("derives dependencies first, whatever the snapshot order", () => {
    const tasks = [
      makeTask(4, "c", { dependsOn: ["b"] }),
      makeTask(3, "b", { dependsOn: ["a"], pull: makePull(9, { state: "merged" }) }),
      makeTask(2, "a", { issue: { state: "closed", stateReason: "completed" } }),
    ];
    const states = deriveTaskStates(tasks, { config, now: min(0), control: makeControl([]), botLogin: BOT, protection: null, dispatches: {} });
    expect([...states].map(([n, s]) => [n, s.state])).toEqual([
      [2, "done"],
      [3, "done"],
      [4, "ready"],
    ]);
  });

  it("blocks the dependents of a failed task", () => {
    const tasks = [makeTask(2, "a", { claimed: true, runs: [failedRun(1), failedRun(2)] }), makeTask(3, "b", { dependsOn: ["a"] })];
    const states = deriveTaskStates(tasks, { config, now: min(0), control: makeControl([]), botLogin: BOT, protection: null, dispatches: {} });
    expect(states.get(3)).toEqual({ state: "blocked", reason: "dependency a failed" });
  });

  it("with advance_on: checks, a green PR lets dependents start", () => {
    const tasks = [makeTask(2, "a", { pull: makePull(9), runs: [makeRun(2, 1)] }), makeTask(3, "b", { dependsOn: ["a"] })];
    const base = { now: min(0), control: makeControl([]), botLogin: BOT, protection: null, dispatches: {} };
    expect(deriveTaskStates(tasks, { ...base, config }).get(3)?.state).toBe("blocked");
    expect(deriveTaskStates(tasks, { ...base, config: makeConfig({ advance_on: "checks" }) }).get(3)?.state).toBe("ready");
  });
});
