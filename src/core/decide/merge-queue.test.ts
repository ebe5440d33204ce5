import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { dagCheck, makeCheck, makeConfig, makeControl, makePull, makeReview, makeRun, makeSnapshot, makeTask, min, planTask } from "./test-builders.js";

/**
 * With a required merge queue, decide never merges: it enqueues a PR that is ready, reports
 * `architect/dag` on the merge group's head, and treats a group that failed at the PR's
 * current head like red checks (the retry path).
 */
describe("decide with a required merge queue", () => {
  const control = makeControl([planTask("a")]);
  const config = makeConfig({ retries: { backoff_seconds: 0 } });
  const queueRepo = (over = {}) => ({ owner: "acme", name: "app", nodeId: "R_1", defaultBranch: "main", defaultBranchSha: "base", protection: { enabled: true, requiredChecks: ["ci"], requiredApprovals: 1, mergeQueue: true, ...over } });
  const ready = (pull = {}) =>
    makeTask(2, "a", {
      state: "review",
      pull: makePull(20, { reviews: [makeReview("bob", "APPROVED")], checks: [makeCheck("ci"), dagCheck("success", "Dependencies merged and approvals met")], ...pull }),
      runs: [makeRun(2, 1, { status: "completed", conclusion: "success", createdAt: min(1), updatedAt: min(2) })],
    });

  it("enqueues a ready PR with its head as the guard instead of merging it", () => {
    const d = decide(makeSnapshot({ repo: queueRepo(), controlValue: control, tasks: [ready()], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(60));
    expect(d.effects.filter((e) => e.kind === "merge" || e.kind === "enableAutoMerge")).toEqual([]);
    expect(d.effects.filter((e) => e.kind === "enqueue")).toEqual([{ kind: "enqueue", task: 2, pull: 20, pullNodeId: "PR_20", headSha: "head" }]);
  });

  it("reports architect/dag on the merge group's head once, and enqueues nothing while queued", () => {
    const queued = ready({ mergeQueue: { groupHeadSha: "group1", checks: [] } });
    const d = decide(makeSnapshot({ repo: queueRepo(), controlValue: control, tasks: [queued], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(60));
    expect(d.effects.filter((e) => e.kind === "enqueue")).toEqual([]);
    expect(d.effects.filter((e) => e.kind === "setDagCheck")).toEqual([expect.objectContaining({ headSha: "group1", status: "success", checkNodeId: null })]);
    expect(d.states[2]?.reason).toMatch(/in the merge queue/);
    const reported = ready({ mergeQueue: { groupHeadSha: "group1", checks: [dagCheck("success", "Dependencies merged and approvals met")] } });
    const again = decide(makeSnapshot({ repo: queueRepo(), controlValue: control, tasks: [reported], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(61));
    expect(again.effects.filter((e) => e.kind === "setDagCheck" || e.kind === "enqueue")).toEqual([]);
  });

  it("sends a PR whose group failed at its current head back to its agent, and re-enqueues only a new head", () => {
    const failed = ready({ queueRemovals: [{ reason: "CI_FAILURE", headSha: "head", at: min(50) }] });
    const d = decide(makeSnapshot({ repo: queueRepo(), controlValue: control, tasks: [failed], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(60));
    expect(d.effects.filter((e) => e.kind === "enqueue")).toEqual([]);
    expect(d.effects.filter((e) => e.kind === "dispatch").map((e) => (e.kind === "dispatch" ? e.inputs.mode : ""))).toEqual(["retry"]);
    expect(d.states[2]?.reason).toMatch(/merge queue removed the PR \(CI_FAILURE\)/);
    const fixed = ready({ headSha: "head2", reviews: [makeReview("bob", "APPROVED", { commitSha: "head2" })], queueRemovals: [{ reason: "CI_FAILURE", headSha: "head", at: min(50) }] });
    const next = decide(makeSnapshot({ repo: queueRepo(), controlValue: control, tasks: [fixed], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(70));
    expect(next.effects.filter((e) => e.kind === "enqueue").map((e) => (e.kind === "enqueue" ? e.headSha : ""))).toEqual(["head2"]);
  });

  it("does not treat a person's own removal from the queue as a failure", () => {
    const removed = ready({ queueRemovals: [{ reason: "MANUAL", headSha: "head", at: min(50) }] });
    const d = decide(makeSnapshot({ repo: queueRepo(), controlValue: control, tasks: [removed], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(60));
    expect(d.effects.some((e) => e.kind === "dispatch")).toBe(false);
  });
});
