import { afterEach, describe, expect, it } from "vitest";
import { runMilestone, type MilestoneRun } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import type { ActorScript } from "../../src/sandbox/index.js";
import { scaledClock } from "../../src/shared/clock.js";
import { dispatchedBeforeDependencies, duplicates, runsOfTask, taskListBody, worldFacts } from "./invariants.js";

/**
 * `advance_on: checks` takes review time off the critical path: in a chain A → B → C with
 * slow reviews, B starts when A's checks are green instead of when A merges. Merges still
 * happen in dependency order, because `architect/dag` waits for the merge either way.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

const REVIEW_DELAY_MS = 10 * 60_000;
const script: ActorScript = { agent: { durationMs: 60_000 }, ci: { delayMs: 30_000 }, reviewer: { delayMs: REVIEW_DELAY_MS } };
const chain = taskListBody([{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c", dependsOn: ["b"] }]);

interface ChainResult {
  run: MilestoneRun;
  firstRunAt: Record<string, number>;
  /** First dispatch to last merge: the scheduling, without the planning that precedes it (machine-load noise). */
  makespanMs: number;
}

async function runChain(advanceOn: "merge" | "checks"): Promise<ChainResult> {
  stack = await startStack({ clock: scaledClock(600), repoConfig: `advance_on: ${advanceOn}\n`, actors: script });
  const run = await runMilestone(stack, { title: `Chain, advance_on ${advanceOn}`, body: chain, timeoutMs: 25_000 });
  const runs = run.tasks.map((t) => runsOfTask(stack!.sandbox.repo, t.number));
  const firstRunAt = Object.fromEntries(run.tasks.map((t, i) => [t.key, Math.min(...runs[i]!.map((r) => r.createdAt))]));
  const makespanMs = Math.max(...run.tasks.map((t) => t.mergedAt ?? Infinity)) - Math.min(...Object.values(firstRunAt));
  expect(run.allDone).toBe(true);
  // Every agent succeeds first time: one run per task.
  expect(runs.map((r) => r.length)).toEqual([1, 1, 1]);
  expect(duplicates(worldFacts(stack.sandbox.repo, run.milestone))).toEqual([]);
  expect(stack.sandbox.actorErrors).toEqual([]);
  await stack.stop();
  stack = null;
  return { run, firstRunAt, makespanMs };
}

const mergeOrder = (run: MilestoneRun) => [...run.tasks].sort((x, y) => (x.mergedAt ?? Infinity) - (y.mergedAt ?? Infinity)).map((t) => t.key);

describe("advance_on: checks", () => {
  it("shortens a chain's makespan against advance_on: merge on the same script, merging in order A, B, C", async () => {
    const byMerge = await runChain("merge");
    const byChecks = await runChain("checks");
    console.info(`chain A → B → C, reviews take ${REVIEW_DELAY_MS / 60_000} min: first dispatch to last merge, advance_on merge ${(byMerge.makespanMs / 60_000).toFixed(1)} min, checks ${(byChecks.makespanMs / 60_000).toFixed(1)} min`);

    expect(mergeOrder(byMerge.run)).toEqual(["a", "b", "c"]);
    expect(mergeOrder(byChecks.run)).toEqual(["a", "b", "c"]);
    // With merge, nothing starts before its dependency merged; with checks, B starts before A merges.
    expect(dispatchedBeforeDependencies(byMerge.run.milestone.repo, byMerge.run.milestone)).toEqual([]);
    const mergedA = byChecks.run.tasks.find((t) => t.key === "a")!.mergedAt!;
    expect(byChecks.firstRunAt.b).toBeLessThan(mergedA);
    // Each serial review is on the critical path with merge; with checks the reviews overlap.
    expect(byMerge.makespanMs).toBeGreaterThanOrEqual(3 * REVIEW_DELAY_MS);
    expect(byChecks.makespanMs).toBeLessThan(byMerge.makespanMs - REVIEW_DELAY_MS);
  });
});
