import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import type { Effect } from "./effects.js";
import { encodeMarker } from "../markers/markers.js";
import { afterOwnWrites } from "./own-writes.js";
import { SimulatedRepo } from "./simulated-repo.js";
import type { Snapshot, TaskFacts } from "./snapshot.js";
import { dagCheck, makeCheck, makeConfig, makeControl, makePull, makeReview, makeRun, makeSnapshot, makeTask, min, planTask } from "./test-builders.js";

const config = makeConfig();
const plan = [planTask("a"), planTask("b", { depends_on: ["a"] }), planTask("c", { depends_on: ["a"] })];
const green = [makeCheck("ci"), dagCheck("success", "Dependencies merged and approvals met")];

/** a's PR green and approved, b and c waiting on it. */
function world(): Snapshot {
  const a = makeTask(2, "a", { state: "review", pull: makePull(20, { reviews: [makeReview("bob", "APPROVED")], checks: green }), runs: [makeRun(2, 1)] });
  const b = makeTask(3, "b", { dependsOn: ["a"], blockedBy: [2], state: "blocked" });
  const c = makeTask(4, "c", { dependsOn: ["a"], blockedBy: [2], state: "blocked" });
  return makeSnapshot({ controlValue: makeControl(plan), tasks: [a, b, c], dispatches: { "2": { seq: 1, at: min(0) } } });
}

/** The same world as a fresh read would show it after a's merge (merge commit "m1"). */
function worldAfterMerge(): Snapshot {
  const before = world();
  const a = before.tasks[0] as TaskFacts;
  const merged: TaskFacts = { ...a, issue: { ...a.issue, state: "closed", stateReason: "completed" }, pull: { ...(a.pull as NonNullable<TaskFacts["pull"]>), state: "merged" } };
  return { ...before, repo: { ...before.repo, defaultBranchSha: "m1" }, tasks: [merged, ...before.tasks.slice(1)] };
}

// A pass that merged decides its next step on its own confirmed writes exactly as on a fresh read.
describe("afterOwnWrites: the next pass without a read", () => {
  it("gives the same decision as a fresh read after a merge: dependents start from the merge commit", () => {
    const first = decide(world(), config, min(30));
    expect(first.effects.map((e) => e.kind)).toEqual(["merge"]);
    const known = afterOwnWrites(world(), first.effects, { merged: [{ task: 2, mergeCommitSha: "m1" }] });
    expect(known).not.toBeNull();
    const next = decide(known as Snapshot, config, min(30));
    expect(next.effects).toEqual(decide(worldAfterMerge(), config, min(30)).effects);
    expect(next.effects.filter((e) => e.kind === "dispatch").map((e) => (e.kind === "dispatch" ? [e.task, e.claim?.sha] : []))).toEqual([
      [3, "m1"],
      [4, "m1"],
    ]);
  });

  it("gives the same decision as a fresh read after creating the plan's labels and sub-issues", () => {
    const repo = new SimulatedRepo([planTask("c"), planTask("a"), planTask("b", { depends_on: ["a", "c"] })], min(0));
    const before = repo.snapshot();
    const first = decide(before, config, min(0));
    expect(first.effects.map((e) => e.kind)).toEqual(["createLabels", "createTask", "createTask", "createTask"]);
    for (const effect of first.effects) repo.apply(effect);
    // GitHub numbers the issues in creation order; the plan lists c first.
    const created = repo.tasks.map((t) => ({ key: t.marker.key, number: t.issue.number, id: t.issue.id, nodeId: t.issue.nodeId }));
    const known = afterOwnWrites(before, first.effects, { merged: [], created, labelIds: repo.labels }) as Snapshot;
    expect(known).not.toBeNull();
    expect(known.tasks.map((t) => t.marker.key)).toEqual(["c", "a", "b"]);
    const next = decide(known, config, min(0));
    expect(next.effects.map((e) => e.kind)).toContain("linkBlockedBy");
    expect(next.effects).toEqual(decide(repo.snapshot(), config, min(0)).effects);
  });

  it("needs a real read when a sub-issue GitHub reports is already in the snapshot", () => {
    const snapshot = world();
    const body = encodeMarker("task", { ...snapshot.tasks[0]!.marker, key: "d" });
    const effects: Effect[] = [{ kind: "createTask", key: "d", title: "d", body, labels: [] }];
    expect(afterOwnWrites(snapshot, effects, { merged: [], created: [{ key: "d", number: 9, id: 9000, nodeId: "I_9" }] })).not.toBeNull();
    expect(afterOwnWrites(snapshot, effects, { merged: [], created: [{ key: "d", number: 2, id: 2000, nodeId: "I_2" }] })).toBeNull();
  });

  it("takes a new dag check on a PR the same pass merged: nothing reads it again", () => {
    const check: Effect = { kind: "setDagCheck", task: 2, pull: 20, headSha: "head", checkNodeId: null, status: "success", title: "Dependencies merged and approvals met", summary: "ok" };
    const merge: Effect = { kind: "merge", task: 2, pull: 20, pullNodeId: "PR_20", headSha: "head", method: "squash" };
    const known = afterOwnWrites(world(), [check, merge], { merged: [{ task: 2, mergeCommitSha: "m1" }] });
    expect(known).not.toBeNull();
    expect(decide(known as Snapshot, config, min(30)).effects).toEqual(decide(worldAfterMerge(), config, min(30)).effects);
  });

  it("leaves the snapshot it was given alone", () => {
    const before = world();
    const copy = structuredClone(before);
    afterOwnWrites(before, decide(before, config, min(30)).effects, { merged: [{ task: 2, mergeCommitSha: "m1" }] });
    expect(before).toEqual(copy);
  });

  it("writes labels, closes, links and an existing dag check into the snapshot; the last merge commit is the head", () => {
    const snapshot = world();
    const pull = makePull(30, { checks: [dagCheck("pending", "Waiting for #2 (a) to merge")] });
    snapshot.tasks[1] = makeTask(3, "b", { dependsOn: ["a"], blockedBy: [], state: "review", pull });
    snapshot.tasks.push(makeTask(5, "d", { pull: makePull(50) }));
    const effects: Effect[] = [
      { kind: "setLabels", issue: 4, issueNodeId: "I_4", add: ["architect:ready"], remove: ["architect:blocked"] },
      { kind: "closeIssue", issue: 4, issueNodeId: "I_4", reason: "not_planned" },
      { kind: "linkBlockedBy", task: 3, taskNodeId: "I_3", blocker: 2, blockerId: 2, blockerNodeId: "I_2" },
      { kind: "setDagCheck", task: 3, pull: 30, headSha: "head", checkNodeId: "CR_dag", status: "success", title: "Dependencies merged and approvals met", summary: "ok" },
      { kind: "merge", task: 2, pull: 20, pullNodeId: "PR_20", headSha: "head", method: "squash" },
      { kind: "merge", task: 5, pull: 50, pullNodeId: "PR_50", headSha: "head", method: "squash" },
    ];
    const known = afterOwnWrites(snapshot, effects, {
      merged: [
        { task: 2, mergeCommitSha: "m1" },
        { task: 5, mergeCommitSha: "m2" },
      ],
    }) as Snapshot;
    const task = (n: number) => known.tasks.find((t) => t.issue.number === n) as TaskFacts;
    expect(task(4).issue).toMatchObject({ state: "closed", stateReason: "not_planned", labels: ["architect:task", "architect:ready"] });
    expect(task(3).blockedBy).toEqual([2]);
    expect(task(3).pull?.checks.filter((c) => c.name === "architect/dag")).toMatchObject([{ nodeId: "CR_dag", status: "completed", conclusion: "success", title: "Dependencies merged and approvals met" }]);
    expect([task(2).pull?.state, task(2).issue.state, task(5).pull?.state]).toEqual(["merged", "closed", "merged"]);
    expect(known.repo.defaultBranchSha).toBe("m2");
  });

  const merge: Effect = { kind: "merge", task: 2, pull: 20, pullNodeId: "PR_20", headSha: "head", method: "squash" };
  const confirmed = [{ task: 2, mergeCommitSha: "m1" }];
  it.each<{ name: string; effects: Effect[]; merges?: typeof confirmed }>([
    { name: "a merge GitHub did not confirm", effects: [merge], merges: [] },
    { name: "a new task GitHub did not confirm (its number is GitHub's to give)", effects: [merge, { kind: "createTask", key: "x", title: "x", body: "", labels: [] }] },
    { name: "a dispatch (claims and records)", effects: [{ kind: "dispatch", task: 3, claim: null, workflow: "w", ref: "main", inputs: {}, runTitle: "architect 1/3/1/initial" }] },
    { name: "a cancelled run", effects: [{ kind: "cancelRun", task: 3, runId: 1, reason: "stall" }] },
    { name: "a rewritten task", effects: [{ kind: "updateTask", issue: 3, issueNodeId: "I_3", title: "t", body: "b" }] },
    { name: "a new label GitHub gave no id", effects: [{ kind: "createLabels", labels: [{ name: "architect:new", color: "ffffff", description: "" }] }] },
    { name: "a new dag check (its id is GitHub's to give)", effects: [{ kind: "setDagCheck", task: 2, pull: 20, headSha: "head", checkNodeId: null, status: "success", title: "t", summary: "s" }] },
    { name: "a change to a task the snapshot lacks", effects: [{ kind: "setLabels", issue: 99, issueNodeId: "I_99", add: ["x"], remove: [] }] },
  ])("needs a real read after $name", ({ effects, merges = confirmed }) => {
    expect(afterOwnWrites(world(), effects, { merged: merges })).toBeNull();
  });
});
