import type { TaskState } from "../decide/effects.js";
import type { BranchProtectionFacts, PullFacts, StatusRecord, TaskFacts } from "../decide/snapshot.js";
import { HOLD_LABEL } from "../../shared/labels.js";
import { effectiveAgent } from "./agent-choice.js";
import { dagGateFor, type DagGateContext } from "./dag-gate.js";
import { pendingChangesRequest, queueFailure, requiredChecksState } from "./eligibility.js";
import { allowedAttempts, attemptsOf, finishedAfterRead, isRunActive, latestRun, pendingDispatch, reviewCyclesOf } from "./runs.js";

/**
 * A task's lifecycle state, derived from facts on every pass and never stored as the
 * truth: the issue, the claim branch, the runs, the PR, its checks and reviews. Rules are
 * checked in priority order; the first that matches wins.
 */

/** Everything about the rest of the milestone a task's state depends on. */
export interface TaskStateContext extends DagGateContext {
  /** Keys whose dependents may start: done, plus (advance_on: checks) PRs with green checks. Defaults to `done`. */
  satisfied?: ReadonlySet<string>;
  /** Keys of tasks that failed, need a person, or were cancelled: their dependents are blocked. */
  failed: ReadonlySet<string>;
  now: number;
  protection: BranchProtectionFacts | null;
  /** The status record's dispatches, by issue number (as a string). */
  dispatches: StatusRecord["dispatches"];
  /** When the snapshot's read of PRs began (see Snapshot.observedAt). */
  observedAt?: number;
}

/** Derive one task's state. Dependencies' states must already be reflected in the context's sets. */
export function deriveTaskState(task: TaskFacts, ctx: TaskStateContext): TaskState {
  const { issue, pull } = task;
  if (issue.state === "closed") {
    return issue.stateReason === "not_planned" ? state("cancelled", "closed as not planned") : state("done", "issue closed");
  }
  if (pull?.state === "merged") return state("done", `PR #${pull.number} merged`);
  const latest = latestRun(task);
  if (issue.labels.includes(HOLD_LABEL)) {
    return isRunActive(latest) ? state("running", "on hold; the current run continues") : state("held", `on hold (${HOLD_LABEL})`);
  }
  const failedDep = task.marker.dependsOn.find((k) => ctx.failed.has(k));
  if (failedDep !== undefined) return state("blocked", `dependency ${failedDep} failed`);
  if (pull?.state === "open") return reviewState(task, pull, ctx);
  if (pull?.state === "closed") return state("needs-human", `PR #${pull.number} closed without merging`);
  if (task.branch) return claimedState(task, ctx);
  return unclaimedState(task, ctx);
}

function reviewState(task: TaskFacts, pull: PullFacts, ctx: TaskStateContext): TaskState {
  const latest = latestRun(task);
  const active = isRunActive(latest);
  const checks = requiredChecksState(pull, ctx.protection);
  const attempts = attemptsOf(task);
  const allowed = allowedAttempts(task, ctx.config, ctx.control);
  const reviewer = pendingChangesRequest(pull, reviewContext(ctx), latest?.createdAt ?? 0);
  const cycles = reviewCyclesOf(task);
  const maxCycles = ctx.config.reviews.max_review_cycles;
  if (!active && reviewer && cycles >= maxCycles) {
    return state("needs-human", `changes requested by @${reviewer.author}; ${cycles} of ${maxCycles} review cycles used`);
  }
  const dequeued = queueFailure(pull);
  const red = dequeued ? `merge queue removed the PR (${dequeued})` : "required checks failed";
  if (!active && checks === "red" && attempts >= allowed && !finishedAfterRead(task, ctx.observedAt)) {
    return state("failed", `${red}; ${attempts} of ${allowed} attempts used`);
  }
  const waits: string[] = [];
  if (active && latest) waits.push(`agent run ${latest.key.seq} (${latest.key.mode}) in progress`);
  else if (pendingDispatch(task, ctx.dispatches[String(task.issue.number)])) waits.push("agent dispatch pending");
  else if (checks === "red") waits.push(`${red}; retry pending`);
  else if (reviewer) waits.push(`changes requested by @${reviewer.author}; review run pending`);
  const gate = dagGateFor(task, ctx);
  // Running checks are named only when nothing else holds the PR: the reason then stays the
  // same while CI runs and finishes ("waiting for 1 approval"), so the status comment is not
  // rewritten for it; the PR page shows the checks.
  if (checks === "pending" && gate.status !== "pending") waits.push("waiting for required checks");
  if (gate.status === "pending") waits.push(gate.title.charAt(0).toLowerCase() + gate.title.slice(1));
  if (pull.isDraft) waits.push("PR is a draft");
  if (pull.mergeable === "CONFLICTING") waits.push("PR has merge conflicts");
  if (pull.mergeQueue) waits.push("in the merge queue");
  return state("review", waits.length > 0 ? waits.join("; ") : `PR #${pull.number} ready to merge`);
}

/**
 * A dispatched run that has not shown up yet. The pass that dispatches says the same, so
 * the next look does not rewrite the status comment for wording alone.
 */
export function dispatchedReason(seq: number): string {
  return `run ${seq} dispatched, waiting for it to start`;
}

function claimedState(task: TaskFacts, ctx: TaskStateContext): TaskState {
  const pending = pendingDispatch(task, ctx.dispatches[String(task.issue.number)]);
  if (pending) {
    const overdue = ctx.now - pending.at > ctx.config.timeouts.dispatch_grace_minutes * 60_000;
    if (pending.resent && overdue) return state("needs-human", `dispatched run ${pending.seq} twice and it never started`);
    return state("running", dispatchedReason(pending.seq));
  }
  const latest = latestRun(task);
  if (latest === null) return state("running", "claimed; dispatch pending");
  if (isRunActive(latest)) return state("running", `run ${latest.key.seq} ${latest.status.replace("_", " ")}`);
  if (finishedAfterRead(task, ctx.observedAt)) return state("running", `run ${latest.key.seq} finished; reading its result`);
  const outcome = latest.conclusion === "success" ? `run ${latest.key.seq} produced no PR` : `run ${latest.key.seq} ${latest.conclusion ?? "failed"}`;
  const attempts = attemptsOf(task);
  const allowed = allowedAttempts(task, ctx.config, ctx.control);
  if (attempts >= allowed) return state("failed", `${outcome}; ${attempts} of ${allowed} attempts used`);
  return state("running", `${outcome}; retry pending`);
}

function unclaimedState(task: TaskFacts, ctx: TaskStateContext): TaskState {
  const agent = effectiveAgent(task, ctx.config);
  if (agent.ok && agent.agent.kind === "copilot" && ctx.dispatches[String(task.issue.number)]) {
    return state("running", "assigned to Copilot");
  }
  const satisfied = ctx.satisfied ?? ctx.done;
  const waiting = task.marker.dependsOn.filter((k) => !satisfied.has(k));
  if (waiting.length > 0) return state("blocked", `waiting on ${waiting.join(", ")}`);
  // A claim branch deleted after the attempts ran out must not reset the budget.
  const attempts = attemptsOf(task);
  const allowed = allowedAttempts(task, ctx.config, ctx.control);
  if (attempts >= allowed) return state("failed", `${attempts} of ${allowed} attempts used`);
  if (!agent.ok) return state("needs-human", `unknown agent ${agent.name}`);
  return state("ready", task.marker.dependsOn.length > 0 ? "dependencies done" : "no dependencies");
}

function reviewContext(ctx: TaskStateContext) {
  return { requester: ctx.control?.requestedBy ?? "", botLogin: ctx.botLogin };
}

function state(name: TaskState["state"], reason: string): TaskState {
  return { state: name, reason };
}
