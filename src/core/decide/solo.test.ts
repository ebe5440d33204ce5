import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { makeConfig, makeControl, makeRun, makeSnapshot, makeTask, min, planTask } from "./test-builders.js";
import type { TaskFacts } from "./snapshot.js";

/** A single issue run because of its `agent:<name>` label: plan id "solo", key "solo". */
function soloTask(labels: string[], o: Parameters<typeof makeTask>[2] = {}): TaskFacts {
  const task = makeTask(1, "solo", { labels, ...o });
  return { ...task, marker: { ...task.marker, planId: "solo", agent: labels.find((l) => l.startsWith("agent:"))?.slice(6) ?? "" } };
}

const control = makeControl([planTask("solo")], { planId: "solo", approvedBy: "label" });

describe("single-issue runs (agent label on an unplanned issue)", () => {
  it.each([
    ["the label names a configured agent", ["agent:claude"], "dispatch", "claude"],
    ["the label names no configured agent", ["agent:nobody"], null, null],
    ["the label is gone before anything started", [], null, null],
  ])("%s", (_name, labels, effect, agent) => {
    const snapshot = makeSnapshot({ controlValue: control, tasks: [soloTask(labels)] });
    const decision = decide(snapshot, makeConfig(), min(0));
    const dispatch = decision.effects.find((e) => e.kind === "dispatch");
    expect(dispatch?.kind ?? null).toBe(effect);
    if (dispatch?.kind === "dispatch") expect(dispatch.inputs.agent).toBe(agent);
  });

  it("cancels a queued run when the label is removed before it starts", () => {
    const task = soloTask([], { claimed: true, runs: [makeRun(1, 1, { status: "queued", conclusion: null })] });
    const decision = decide(makeSnapshot({ controlValue: control, tasks: [task] }), makeConfig(), min(1));
    expect(decision.effects).toContainEqual(expect.objectContaining({ kind: "cancelRun", runId: 101 }));
    expect(decision.states[1]?.state).toBe("cancelled");
    expect(decision.effects.some((e) => e.kind === "dispatch")).toBe(false);
  });

  it("lets a run that already started finish when the label is removed", () => {
    const task = soloTask([], { claimed: true, runs: [makeRun(1, 1, { status: "in_progress", conclusion: null })] });
    const decision = decide(makeSnapshot({ controlValue: control, tasks: [task] }), makeConfig(), min(1));
    expect(decision.effects.some((e) => e.kind === "cancelRun")).toBe(false);
    expect(decision.states[1]?.state).toBe("running");
  });

  it("never falls back to the default agent for a planned task's missing label, but does for plans", () => {
    const planned = makeTask(2, "a", { agent: "claude" });
    const decision = decide(makeSnapshot({ controlValue: makeControl([planTask("a")]), tasks: [planned] }), makeConfig(), min(0));
    expect(decision.effects.find((e) => e.kind === "dispatch")).toBeDefined();
  });
});
