import { describe, expect, it } from "vitest";
import { STATE_LABELS } from "../../shared/labels.js";
import { actsOnRunOutcome, type Effect, type EffectKind } from "./effects.js";

type Of<K extends EffectKind> = Extract<Effect, { kind: K }>;
const L = (state: keyof typeof STATE_LABELS) => STATE_LABELS[state].name;
const setLabels = (add: string[], remove: string[] = []): Of<"setLabels"> => ({ kind: "setLabels", issue: 4, issueNodeId: "I_4", add, remove });
const dispatch = (claim: Of<"dispatch">["claim"], over: Partial<Of<"dispatch">> = {}): Of<"dispatch"> => ({
  kind: "dispatch",
  task: 4,
  claim,
  workflow: "architect-agent.yml",
  ref: "main",
  inputs: {},
  runTitle: "architect 1/4/1/initial",
  ...over,
});
const pr = { task: 4, pull: 40, pullNodeId: "PR_40", headSha: "head", method: "squash" as const };

/**
 * Every effect kind (the `satisfies` makes a new kind a compile error here until it is
 * classified), each with the variants that decide between true and false.
 */
const TABLE = {
  cancelRun: [{ name: "a cancel of a stalled run", effect: { kind: "cancelRun", task: 4, runId: 401, reason: "no result" }, want: true }],
  dispatch: [
    { name: "a first dispatch with its claim", effect: dispatch({ branch: "architect/4-task-c", sha: "base" }), want: false },
    { name: "a first dispatch with a stacked claim", effect: dispatch({ branch: "architect/4-task-c", sha: "base", merge: ["architect/3-task-b"] }), want: false },
    { name: "a retry (no claim)", effect: dispatch(null, { runTitle: "architect 1/4/2/retry" }), want: true },
    { name: "a review run (no claim)", effect: dispatch(null, { runTitle: "architect 1/4/3/review" }), want: true },
    { name: "a re-send of a lost dispatch", effect: dispatch(null, { resend: true }), want: true },
  ],
  setLabels: [
    { name: "marking a task failed", effect: setLabels([L("failed")], [L("running")]), want: true },
    { name: "handing a task to a person", effect: setLabels([L("needs-human")], [L("review")]), want: true },
    { name: "failed among other labels", effect: setLabels([L("blocked"), L("failed")]), want: true },
    { name: "running", effect: setLabels([L("running")], [L("ready")]), want: false },
    { name: "done", effect: setLabels([L("done")], [L("review")]), want: false },
    { name: "removing failed (a retry granted)", effect: setLabels([L("ready")], [L("failed"), L("needs-human")]), want: false },
    { name: "no change", effect: setLabels([]), want: false },
  ],
  createLabels: [{ name: "labels", effect: { kind: "createLabels", labels: [STATE_LABELS.failed] }, want: false }],
  createTask: [{ name: "a task", effect: { kind: "createTask", key: "a", title: "A", body: "", labels: [L("failed")] }, want: false }],
  updateTask: [{ name: "a replanned task", effect: { kind: "updateTask", issue: 4, issueNodeId: "I_4", title: "A", body: "" }, want: false }],
  linkBlockedBy: [{ name: "a link", effect: { kind: "linkBlockedBy", task: 4, taskNodeId: "I_4", blocker: 3, blockerId: 3000, blockerNodeId: "I_3" }, want: false }],
  assignCopilot: [{ name: "Copilot's first start", effect: { kind: "assignCopilot", task: 4, issueNodeId: "I_4" }, want: false }],
  setDagCheck: [
    { name: "a failing dag check", effect: { kind: "setDagCheck", task: 4, pull: 40, headSha: "head", checkNodeId: null, status: "failure", title: "t", summary: "s" }, want: false },
  ],
  merge: [{ name: "a merge", effect: { kind: "merge", ...pr }, want: false }],
  enableAutoMerge: [{ name: "auto-merge", effect: { kind: "enableAutoMerge", ...pr }, want: false }],
  enqueue: [{ name: "a merge queue entry", effect: { kind: "enqueue", task: pr.task, pull: pr.pull, pullNodeId: pr.pullNodeId, headSha: pr.headSha }, want: false }],
  deleteBranch: [
    { name: "a failed task's branch (no run may still hold it)", effect: { kind: "deleteBranch", task: 4, branch: "architect/4-task-c", ended: "failed" }, want: true },
    { name: "a cancelled task's branch", effect: { kind: "deleteBranch", task: 4, branch: "architect/4-task-c", ended: "cancelled" }, want: true },
    { name: "a closed task's branch", effect: { kind: "deleteBranch", task: 4, branch: "architect/4-task-c", ended: "closed" }, want: false },
  ],
  closeIssue: [{ name: "a close", effect: { kind: "closeIssue", issue: 4, issueNodeId: "I_4", reason: "not_planned" }, want: false }],
  upsertStatusComment: [{ name: "the status comment", effect: { kind: "upsertStatusComment", commentNodeId: "IC_12", body: "failed" }, want: false }],
} satisfies { [K in EffectKind]: { name: string; effect: Of<K>; want: boolean }[] };

// Only retries, review runs, re-sends, cancels and failed/needs-human verdicts act on a run's outcome.
describe("actsOnRunOutcome", () => {
  const rows = Object.entries(TABLE).flatMap(([kind, cases]) => cases.map((c) => ({ ...c, kind })));
  it.each(rows)("$kind: $name → $want", ({ effect, want }) => {
    expect(actsOnRunOutcome(effect)).toBe(want);
  });
});
