import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { makeCheck, makeConfig, makeControl, makePull, makeRun, makeSnapshot, makeTask, min, planTask } from "./test-builders.js";
import type { RunFacts, TaskFacts } from "./snapshot.js";
import { finishedAfterRead } from "../task/runs.js";

/**
 * A snapshot reads PRs first and lists runs after, so a run that finished in between looks
 * like "succeeded without a PR" (or "retried, checks still red on the old head"). Found by
 * the end-to-end retry and advance_on scenarios, where it dispatched a needless retry.
 */

const config = makeConfig({ retries: { max_attempts: 2, backoff_seconds: 0 } });
const control = makeControl([planTask("a")]);
const snapshotOf = (task: TaskFacts, observedAt: number | undefined) =>
  makeSnapshot({ controlValue: control, tasks: [task], dispatches: { "4": { seq: task.runs.length, at: min(0) } }, observedAt });
const dispatches = (task: TaskFacts, observedAt: number | undefined, now: number) =>
  decide(snapshotOf(task, observedAt), config, now).effects.filter((e) => e.kind === "dispatch").length;

describe("finishedAfterRead", () => {
  const done = makeRun(4, 1, { updatedAt: min(10) });
  it.each<{ name: string; runs: RunFacts[]; observedAt: number | undefined; expected: boolean }>([
    { name: "finished after the read began", runs: [done], observedAt: min(9), expected: true },
    { name: "finished at the instant the read began", runs: [done], observedAt: min(10), expected: true },
    { name: "finished before the read began", runs: [done], observedAt: min(11), expected: false },
    { name: "read time unknown", runs: [done], observedAt: undefined, expected: false },
    { name: "still running", runs: [makeRun(4, 1, { status: "in_progress", conclusion: null, updatedAt: min(10) })], observedAt: min(9), expected: false },
    { name: "no runs", runs: [], observedAt: min(9), expected: false },
  ])("$name → $expected", ({ runs, observedAt, expected }) => {
    expect(finishedAfterRead(makeTask(4, "a", { claimed: true, runs }), observedAt)).toBe(expected);
  });
});

describe("decide on a read that predates the latest run's end", () => {
  it("does not retry a successful run whose PR the read may have missed, and looks again", () => {
    const task = makeTask(4, "a", { state: "running", claimed: true, runs: [makeRun(4, 1, { updatedAt: min(10) })] });
    const torn = decide(snapshotOf(task, min(9)), config, min(10.5));
    expect(torn.effects.filter((e) => e.kind === "dispatch")).toEqual([]);
    expect(torn.states[4]).toEqual({ state: "running", reason: "run 1 finished; reading its result" });
    expect(torn.wakeAt).toBe(min(10.5) + 1000);
    // A read that began after the run ended and still shows no PR: a real "no PR" attempt.
    expect(dispatches(task, min(10.2), min(10.5))).toBe(1);
    // Without a read time the old behaviour stands.
    expect(dispatches(task, undefined, min(10.5))).toBe(1);
  });

  it("does not fail a task on the old head's red checks while its last retry's push may be missing", () => {
    const red = makePull(9, { checks: [makeCheck("ci", { conclusion: "failure" })] });
    const runs = [makeRun(4, 1, { conclusion: "success", updatedAt: min(5) }), makeRun(4, 2, { updatedAt: min(10) })];
    const task = makeTask(4, "a", { state: "review", pull: red, runs });
    expect(decide(snapshotOf(task, min(9)), config, min(10.5)).states[4]?.state).toBe("review");
    expect(decide(snapshotOf(task, min(11)), config, min(11.5)).states[4]?.state).toBe("failed");
  });
});
