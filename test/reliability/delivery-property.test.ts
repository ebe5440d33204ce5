import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { startStack } from "../../src/harness/stack.js";
import { duplicateWork, expectedFinalState, finalState, milestoneDone, SIX_TASKS, taskListBody } from "./support/milestone.js";

/**
 * Issue #5, reliability 1 (IC-2, IC-4): GitHub may deliver a webhook more than once and in
 * any order. Because webhooks are only hints, every seed must reach the same end state with
 * nothing created twice. Each run is a whole 6-task milestone (a diamond, a chain, a fork)
 * in the sandbox, so runs are few; the seed is fixed, so a failure replays exactly, and
 * RELIABILITY_RUNS raises the count locally.
 */
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 10);

const deliveryArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  // Every webhook arrives 1-3 times: all of them duplicated, or about half.
  duplicateRate: fc.constantFrom(0.5, 1),
  // Up to 20 sandbox seconds of jitter per copy reorders whole bursts of events.
  shuffleWindowMs: fc.integer({ min: 0, max: 20_000 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
});

describe("webhooks duplicated and shuffled (property)", () => {
  it(
    "every delivery schedule ends with all tasks merged, the same tasks, and nothing duplicated",
    async () => {
      const outcomes: string[][] = [];
      await fc.assert(
        fc.asyncProperty(deliveryArb, async (delivery) => {
          const stack = await startStack({ delivery });
          try {
            const milestone = stack.openMilestone("Reliability: shuffled deliveries", taskListBody(SIX_TASKS));
            stack.comment(milestone, "/architect plan");
            const done = await stack.waitFor(() => milestoneDone(milestone, SIX_TASKS.length), 40_000);
            await stack.settle(5_000);
            const copies = stack.sandbox.webhooks.log.filter((r) => r.copy > 1).length;
            expect(copies, "the schedule really duplicated deliveries").toBeGreaterThan(0);
            expect(done, `milestone not finished: ${finalState(milestone).join("; ")}`).toBe(true);
            expect(duplicateWork(stack.sandbox.repo, milestone)).toEqual([]);
            expect(stack.sandbox.actorErrors).toEqual([]);
            outcomes.push(finalState(milestone));
          } finally {
            await stack.stop();
          }
        }),
        { seed: 20260501, numRuns: RUNS, endOnFailure: true },
      );
      // The same final state whatever the schedule: one outcome, and it is the planned one.
      expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
      expect(outcomes[0]).toEqual(expectedFinalState(SIX_TASKS));
    },
    RUNS * 30_000,
  );
});
