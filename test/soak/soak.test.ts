import { describe, expect, it } from "vitest";
import { runSoak, soakLine, soakPassed } from "../../src/harness/soak.js";

/**
 * Issue #10 §5, the short variant of `npm run soak`: two milestones over two sandbox
 * days in a busy repository (150 other labels, 30 runs of another workflow, unrelated
 * issues and PRs, a stranger's review, edit and command), one App restart per milestone at
 * a random moment, and 2% of requests answered 5xx or with a secondary rate limit. Every
 * milestone completes with no duplicate, nothing stuck and no claim branch left.
 */
describe("a short simulated month", () => {
  it("completes every milestone with no duplicate, nothing stuck and no stale claim branch", async () => {
    const result = await runSoak({ seed: 3, milestones: 2, tasksPerMilestone: 4, days: 2, otherRuns: 30, otherLabels: 150, crashesPerMilestone: 1, faultRate: 0.02, milestoneTimeoutMs: 40_000 });
    const line = soakLine(result);
    expect(line).toMatch(/^soak: milestones=\d+\/\d+ tasks=\d+ duplicates=\d+ stuck=\d+ stale_branches=\d+ requests_per_task=\d+\.\d$/);
    expect(result.duplicates, line).toEqual([]);
    expect(result.stuck, line).toEqual([]);
    expect(result.staleBranches, line).toEqual([]);
    expect(result.milestonesDone, line).toBe(2);
    expect(result.tasks).toBe(8);
    expect(result.crashes).toBe(2);
    expect(result.labels).toBeGreaterThanOrEqual(150);
    expect(result.faultsFired).toBeGreaterThan(0);
    expect(soakPassed(result)).toBe(true);
  }, 180_000);
});
