import type { AgentConfig, ArchitectConfig } from "../config/config-schema.js";
import type { Effect, TaskState } from "./effects.js";
import type { MilestoneControl, ReviewFacts, RunMode, Snapshot, TaskFacts } from "./snapshot.js";
import { effectiveAgent } from "../task/agent-choice.js";
import { pendingChangesRequest, requiredChecksState } from "../task/eligibility.js";
import { allowedAttempts, attemptsOf, finishedAfterRead, isRunActive, latestRun, pendingDispatch, reviewCyclesOf, type DispatchRecord } from "../task/runs.js";
import { runTitle } from "./run-naming.js";
import { correlationId } from "../markers/correlation.js";

/**
 * The feedback loops of one task that is already claimed: stalled runs are cancelled,
 * lost dispatches are sent again once, failed attempts are retried after a backoff, and
 * a reviewer's "changes requested" starts a review run. Every wait becomes a wake-up
 * time, so nothing depends on a webhook arriving.
 */

export interface RunContext {
  snapshot: Snapshot;
  config: ArchitectConfig;
  control: MilestoneControl;
  now: number;
  /** False while paused or waiting for plan approval: waits are still tracked, nothing is sent. */
  canDispatch: boolean;
  /**
   * True when this pass also changes structure, so the app will look again before it
   * writes the status record. A dispatch without a claim is only kept from repeating by
   * that record, so it waits for the settling pass (the claim branch guards first runs).
   */
  holdUnclaimed?: boolean;
}


/** What the loops decided for one task. */
export interface RunPlan {
  cancels: Effect[];
  dispatches: Effect[];
  /** The task's dispatch record after this pass (undefined = none). */
  record: DispatchRecord | undefined;
  wake: number[];
  /** Set when the pass learns something the derived state could not (an unknown agent). */
  state?: TaskState;
}

/** Everything a dispatch needs to be sent. */
export interface DispatchSpec {
  task: TaskFacts;
  agent: AgentConfig;
  seq: number;
  mode: RunMode;
  attempt: number;
  branch: string;
  claim: { branch: string; sha: string; merge?: string[] } | null;
  /** Mode `review`: the "changes requested" review the run must act on, and no other. */
  reviewId?: number;
}

/** Build the dispatch effect (or the Copilot assignment, which has no runs of ours to correlate). */
export function dispatchEffect(spec: DispatchSpec, snapshot: Snapshot): Effect {
  if (spec.agent.kind === "copilot") return { kind: "assignCopilot", task: spec.task.issue.number, issueNodeId: spec.task.issue.nodeId };
  const title = runTitle(snapshot.milestone.number, spec.task.issue.number, spec.seq, spec.mode);
  return {
    kind: "dispatch",
    task: spec.task.issue.number,
    claim: spec.claim,
    workflow: spec.agent.workflow,
    ref: snapshot.repo.defaultBranch,
    runTitle: title,
    inputs: {
      task: String(spec.task.issue.number),
      milestone: String(snapshot.milestone.number),
      branch: spec.branch,
      base: snapshot.repo.defaultBranch,
      run_key: title,
      agent: spec.agent.name,
      attempt: String(spec.attempt),
      mode: spec.mode,
      correlation_id: correlationId(snapshot.milestone.id, spec.task.issue.number),
      // Only review runs carry it: the runner re-checks this review and reads nothing else.
      ...(spec.mode === "review" && spec.reviewId ? { review_id: String(spec.reviewId) } : {}),
    },
  };
}

/** Plan the run loops of one task in its derived state. */
export function planTaskRuns(task: TaskFacts, current: TaskState, record: DispatchRecord | undefined, ctx: RunContext): RunPlan {
  const out: RunPlan = { cancels: [], dispatches: [], record, wake: [] };
  if (task.issue.state !== "open") return out;
  const { config, now } = ctx;
  const latest = latestRun(task);
  if (latest && isRunActive(latest)) {
    const deadline = latest.createdAt + config.timeouts.run_minutes * 60_000;
    if (now > deadline) {
      out.cancels.push({ kind: "cancelRun", task: task.issue.number, runId: latest.id, reason: `no result after ${config.timeouts.run_minutes} minutes` });
    } else out.wake.push(deadline);
    return out;
  }
  if (current.state !== "running" && current.state !== "review") return out;
  if (finishedAfterRead(task, ctx.snapshot.observedAt)) {
    // Its PR or push may be missing from this read: look again before retrying a success.
    out.wake.push(now + 1000);
    return out;
  }
  const branch = task.branch?.name ?? (task.pull?.state === "open" ? task.pull.headRef : null);
  if (branch === null) return out; // unclaimed: initial starts are scheduled milestone-wide
  const graceMs = config.timeouts.dispatch_grace_minutes * 60_000;
  const pending = pendingDispatch(task, record);
  if (pending) {
    // A dispatch was sent (or a claim made) and no run carries its number yet.
    if (now <= pending.at + graceMs) out.wake.push(pending.at + graceMs);
    else if (!pending.resent && ctx.canDispatch) {
      const mode = inferMode(task, ctx);
      send(out, task, pending.seq, mode, branch, ctx, true, mode === "review" ? reviewToAddress(task, ctx)?.id : undefined);
    }
    return out;
  }
  if (latest === null) {
    if (record === undefined && task.branch && !task.pull) {
      // Claimed but never dispatched (a crash in between): give a late run the grace period to show up.
      out.record = { seq: task.runs.length + 1, at: now };
      out.wake.push(now + graceMs);
    }
    return out;
  }
  const attempts = attemptsOf(task);
  const wantsRetry =
    current.state === "running" ||
    (task.pull?.state === "open" && requiredChecksState(task.pull, ctx.snapshot.repo.protection) === "red");
  if (wantsRetry) {
    if (attempts >= allowedAttempts(task, config, ctx.control)) return out;
    const due = latest.updatedAt + config.retries.backoff_seconds * 1000 * 2 ** Math.max(attempts - 1, 0);
    if (now < due) out.wake.push(due);
    else if (ctx.canDispatch) send(out, task, task.runs.length + 1, "retry", branch, ctx, false);
    return out;
  }
  const review = task.pull?.state === "open" ? reviewToAddress(task, ctx) : null;
  if (review && ctx.canDispatch) {
    send(out, task, task.runs.length + 1, "review", branch, ctx, false, review.id);
  }
  return out;
}

/** The eligible "changes requested" review a review run would address, or null (none, or cycles used up). */
function reviewToAddress(task: TaskFacts, ctx: RunContext): ReviewFacts | null {
  const latest = latestRun(task);
  if (!task.pull || reviewCyclesOf(task) >= ctx.config.reviews.max_review_cycles) return null;
  const reviewCtx = { requester: ctx.control.requestedBy, botLogin: ctx.snapshot.botLogin };
  return pendingChangesRequest(task.pull, reviewCtx, latest?.createdAt ?? 0);
}

/** The mode of a dispatch whose run never appeared, recovered from the facts that caused it. */
function inferMode(task: TaskFacts, ctx: RunContext): RunMode {
  if (task.runs.length === 0) return "initial";
  const red = task.pull?.state === "open" && requiredChecksState(task.pull, ctx.snapshot.repo.protection) === "red";
  if (task.pull?.state === "open" && !red && reviewToAddress(task, ctx)) return "review";
  return "retry";
}

function send(out: RunPlan, task: TaskFacts, seq: number, mode: RunMode, branch: string, ctx: RunContext, resent: boolean, reviewId?: number): void {
  const choice = effectiveAgent(task, ctx.config);
  if (!choice.ok) {
    out.state = { state: "needs-human", reason: `unknown agent ${choice.name}` };
    return;
  }
  // Copilot iterates on its own PR; there is no run of ours to retry.
  if (choice.agent.kind === "copilot" && mode !== "initial") return;
  if (ctx.holdUnclaimed) {
    out.wake.push(ctx.now + 1000);
    return;
  }
  const attempts = attemptsOf(task);
  const attempt = mode === "review" ? Math.max(attempts, 1) : attempts + 1;
  const effect = dispatchEffect({ task, agent: choice.agent, seq, mode, attempt, branch, claim: null, ...(reviewId ? { reviewId } : {}) }, ctx.snapshot);
  out.dispatches.push(resent && effect.kind === "dispatch" ? { ...effect, resend: true } : effect);
  out.record = resent ? { seq, at: ctx.now, resent: true } : { seq, at: ctx.now };
  out.wake.push(ctx.now + ctx.config.timeouts.dispatch_grace_minutes * 60_000);
}
