import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { dagCheck, makeCheck, makeConfig, makeControl, makePull, makeReview, makeRun, makeSnapshot, makeTask, min, planTask } from "./test-builders.js";

/**
 * A pass that merges frees a slot before the merged task's dependents look ready. Starting
 * other ready work in that pass would take the slot the critical path needs next.
 */
describe("decide: a pass that merges starts nothing new", () => {
  const control = makeControl([planTask("a"), planTask("next", { depends_on: ["a"] }), planTask("side")]);
  const config = makeConfig({ caps: { milestone: 1, repo: 6 } });
  const mergeable = makeTask(2, "a", {
    state: "review",
    pull: makePull(20, { reviews: [makeReview("bob", "APPROVED")], checks: [makeCheck("ci"), dagCheck("success", "Dependencies merged and approvals met")] }),
    runs: [makeRun(2, 1)],
  });
  const next = makeTask(3, "next", { dependsOn: ["a"], blockedBy: [2], state: "blocked" });
  const side = makeTask(4, "side", { state: "ready" });

  it("merges and holds the ready side task for the next look", () => {
    const d = decide(makeSnapshot({ controlValue: control, tasks: [mergeable, next, side], dispatches: { "2": { seq: 1, at: 0 } } }), config, min(60));
    expect(d.effects.map((e) => e.kind)).toContain("merge");
    expect(d.effects.some((e) => e.kind === "dispatch")).toBe(false);
    expect(d.states[4]).toMatchObject({ state: "ready", reason: expect.stringMatching(/next look/) });
  });

  it("on the next look, gives the slot to the task on the longer path", () => {
    const merged = makeTask(2, "a", { state: "done", issue: { state: "closed", stateReason: "completed" }, pull: makePull(20, { state: "merged" }) });
    const heavyNext = { ...next, marker: { ...next.marker, estimate: 5 } };
    const d = decide(makeSnapshot({ controlValue: control, tasks: [merged, heavyNext, side] }), config, min(61));
    const dispatched = d.effects.filter((e) => e.kind === "dispatch").map((e) => (e.kind === "dispatch" ? e.task : 0));
    expect(dispatched).toEqual([3]);
  });
});
