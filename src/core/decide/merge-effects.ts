import type { ArchitectConfig } from "../config/config-schema.js";
import type { Effect, TaskState } from "./effects.js";
import type { CheckFacts, Snapshot, TaskFacts } from "./snapshot.js";
import { dagGateFor, type DagGate, type DagGateContext } from "../task/dag-gate.js";
import { DAG_CHECK_NAME, requiredChecksState } from "../task/eligibility.js";

/**
 * The merge side of the graph: publish `architect/dag` on every open task PR (rewritten
 * only when its verdict or title changes), merge what is fully green, and close issues
 * whose PR merged without closing them.
 */

export interface MergeContext extends DagGateContext {
  snapshot: Snapshot;
  config: ArchitectConfig;
  paused: boolean;
}

/** The effects for one task; checks come before the merge that relies on them. */
export function planTaskMerge(task: TaskFacts, state: TaskState, ctx: MergeContext): { checks: Effect[]; merges: Effect[]; enqueues: Effect[]; closes: Effect[] } {
  const out = { checks: [] as Effect[], merges: [] as Effect[], enqueues: [] as Effect[], closes: [] as Effect[] };
  const pull = task.pull;
  if (!pull || task.issue.state !== "open") return out;
  if (pull.state === "merged") {
    out.closes.push({ kind: "closeIssue", issue: task.issue.number, issueNodeId: task.issue.nodeId, reason: "completed" });
    return out;
  }
  if (pull.state !== "open") return out;
  const gate = dagGateFor(task, ctx);
  const existing = ownDagCheck(pull.checks, ctx.snapshot.botLogin);
  if (!existing || checkVerdict(existing) !== gate.status || existing.title !== gate.title) {
    out.checks.push(dagCheckEffect(task, gate, existing));
  }
  const queued = pull.mergeQueue ?? null;
  if (queued) {
    // A required check must report on the merge group's head too, or the queue waits for
    // it forever (../shared/reference/github-platform.md §11). GitHub merges the group.
    if (queued.groupHeadSha) {
      const onGroup = ownDagCheck(queued.checks, ctx.snapshot.botLogin);
      if (!onGroup || checkVerdict(onGroup) !== gate.status || onGroup.title !== gate.title) {
        out.checks.push({ ...dagCheckEffect(task, gate, onGroup), headSha: queued.groupHeadSha });
      }
    }
    return out;
  }
  const mergeable =
    state.state === "review" &&
    gate.status === "success" &&
    requiredChecksState(pull, ctx.snapshot.repo.protection) === "green" &&
    pull.mergeable === "MERGEABLE" &&
    !pull.isDraft &&
    !ctx.paused;
  if (!mergeable) return out;
  const common = { task: task.issue.number, pull: pull.number, pullNodeId: pull.nodeId, headSha: pull.headSha, method: ctx.config.merge.method };
  if (ctx.snapshot.repo.protection?.mergeQueue) {
    // Direct merges answer 405 "Changes must be made through the merge queue".
    out.enqueues.push({ kind: "enqueue", task: common.task, pull: common.pull, pullNodeId: common.pullNodeId, headSha: common.headSha });
    return out;
  }
  if (ctx.config.merge.mode === "direct") out.merges.push({ kind: "merge", ...common });
  else if (ctx.config.merge.mode === "auto" && !pull.autoMergeEnabled) out.merges.push({ kind: "enableAutoMerge", ...common });
  return out;
}

/** Our own `architect/dag` check: a same-named check reported by anyone else is not trusted. */
export function ownDagCheck(checks: readonly CheckFacts[], botLogin: string): CheckFacts | null {
  const slug = botLogin.replace(/\[bot\]$/, "");
  const ours = checks.filter((c) => c.name === DAG_CHECK_NAME && (c.appSlug === slug || c.appSlug === botLogin));
  return ours.at(-1) ?? null;
}

function checkVerdict(check: CheckFacts): DagGate["status"] | "failure" {
  if (check.status !== "completed") return "pending";
  return check.conclusion === "success" ? "success" : "failure";
}

function dagCheckEffect(task: TaskFacts, gate: DagGate, existing: CheckFacts | null): Extract<Effect, { kind: "setDagCheck" }> {
  const pull = task.pull as NonNullable<TaskFacts["pull"]>;
  return {
    kind: "setDagCheck",
    task: task.issue.number,
    pull: pull.number,
    headSha: pull.headSha,
    checkNodeId: existing?.nodeId ?? null,
    status: gate.status,
    title: gate.title,
    summary: gate.summary,
  };
}
