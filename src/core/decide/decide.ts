import type { ArchitectConfig } from "../config/config-schema.js";
import type { Decision, Effect, TaskState } from "./effects.js";
import type { MilestoneControl, Snapshot, StatusRecord, TaskFacts } from "./snapshot.js";
import { lookaheadPicks, preferPicks } from "../dag/lookahead.js";
import { pickTasksToStart, remainingPathPriority, type RunningTask, type ScheduleCandidate } from "../dag/schedule.js";
import { effectiveAgent, SOLO_PLAN_ID } from "../task/agent-choice.js";
import { deriveTaskStates } from "../task/task-states.js";
import { dispatchedReason } from "../task/task-state.js";
import { attemptsOf } from "../task/runs.js";
import { createMissingTasks, labelsForNewTasks, missingLabels, missingLinks, replanEffects } from "./materialise.js";
import { planTaskMerge } from "./merge-effects.js";
import { dispatchEffect, planTaskRuns } from "./run-effects.js";
import { STRUCTURAL_EFFECTS } from "./effects.js";
import { claimBranchName } from "./run-naming.js";
import { projectStateLabels } from "./label-projection.js";
import { budgetReached, milestoneSpend } from "../cost/spend.js";
import { staleClaimBranches } from "./branch-cleanup.js";

/**
 * One decision pass: from a snapshot of GitHub to the effects that move the milestone
 * forward. Pure and deterministic (time enters as `now`), and convergent: applied to a
 * world that already matches, it emits nothing.
 */
export function decide(snapshot: Snapshot, config: ArchitectConfig, now: number): Decision {
  const control = snapshot.control?.value ?? null;
  const prior = snapshot.status?.value.dispatches ?? {};
  const states = deriveTaskStates(snapshot.tasks, {
    config,
    now,
    control,
    botLogin: snapshot.botLogin,
    protection: snapshot.repo.protection,
    dispatches: prior,
    observedAt: snapshot.observedAt,
  });
  if (!control) return { effects: [], states: Object.fromEntries(states), wakeAt: null, statusRecord: { dispatches: { ...prior } } };
  return decideWithControl(snapshot, config, now, control, states, prior);
}

/** Effects in the order the applier must run them (labels exist before issues use them, checks before merges). */
interface Buckets {
  createLabels: Effect[];
  createTask: Effect[];
  updateTask: Effect[];
  linkBlockedBy: Effect[];
  closeIssue: Effect[];
  setDagCheck: Effect[];
  merge: Effect[];
  enqueue: Effect[];
  cancelRun: Effect[];
  dispatch: Effect[];
  setLabels: Effect[];
  deleteBranch: Effect[];
}

function decideWithControl(
  snapshot: Snapshot,
  config: ArchitectConfig,
  now: number,
  control: MilestoneControl,
  states: Map<number, TaskState>,
  prior: StatusRecord["dispatches"],
): Decision {
  const b: Buckets = { createLabels: [], createTask: [], updateTask: [], linkBlockedBy: [], closeIssue: [], setDagCheck: [], merge: [], enqueue: [], cancelRun: [], dispatch: [], setLabels: [], deleteBranch: [] };
  const approved = control.approvedBy !== null;
  const canDispatch = approved && !control.paused;
  const wake: number[] = [];

  if (approved) {
    // Issues are created with their labels; one request makes every label a planned task
    // passes through (the applier creates them before the issues), the exceptional ones come when needed.
    const creates = createMissingTasks(snapshot, control);
    if (creates.length > 0) {
      const labels = labelsForNewTasks(snapshot.repoLabels);
      if (labels.length > 0) b.createLabels.push({ kind: "createLabels", labels });
      b.createTask.push(...creates);
    }
    const replan = replanEffects(snapshot, control, states);
    b.updateTask.push(...replan.updates);
    b.closeIssue.push(...replan.closes);
    for (const n of replan.closed) states.set(n, { state: "cancelled", reason: "removed from the plan" });
  }
  b.linkBlockedBy.push(...missingLinks(snapshot.tasks));

  // Merges depend on the derived states only, so they are planned before the run loops,
  // which need to know whether this pass changes structure.
  const gateCtx = mergeContext(snapshot, config, control, states);
  for (const task of snapshot.tasks) {
    const merge = planTaskMerge(task, states.get(task.issue.number) as TaskState, gateCtx);
    b.closeIssue.push(...merge.closes);
    b.setDagCheck.push(...merge.checks);
    b.merge.push(...merge.merges);
    b.enqueue.push(...merge.enqueues);
  }
  const holdUnclaimed = (Object.values(b) as Effect[][]).some((effects) => effects.some((e) => STRUCTURAL_EFFECTS.has(e.kind)));

  const dispatches: StatusRecord["dispatches"] = {};
  for (const task of snapshot.tasks) {
    const id = String(task.issue.number);
    const state = states.get(task.issue.number) as TaskState;
    if (state.state === "done" || state.state === "cancelled") continue; // finished tasks drop their record
    if (unassignedSolo(task, config)) {
      // The `agent:<name>` label that asked for this single-issue run was removed: runs that
      // have not started are cancelled, one already working is left to finish.
      const waiting = task.runs.filter((r) => r.status !== "completed" && r.status !== "in_progress");
      for (const run of waiting) b.cancelRun.push({ kind: "cancelRun", task: task.issue.number, runId: run.id, reason: "agent label removed" });
      const working = task.runs.some((r) => r.status === "in_progress");
      states.set(task.issue.number, working ? { state: "running", reason: "agent label removed; the run in progress finishes" } : { state: "cancelled", reason: "agent label removed" });
      continue;
    }
    const plan = planTaskRuns(task, state, prior[id], { snapshot, config, control, now, canDispatch, holdUnclaimed });
    b.cancelRun.push(...plan.cancels);
    b.dispatch.push(...plan.dispatches);
    wake.push(...plan.wake);
    if (plan.record) dispatches[id] = plan.record;
    if (plan.state) states.set(task.issue.number, plan.state);
  }

  // A pass that merges frees slots before the merged task's dependents look ready: starting
  // other work now would take the slots the critical path needs. The next pass (right
  // after the merge) sees the dependents and chooses among everything by priority.
  const merging = b.merge.length > 0;
  startReadyTasks(snapshot, config, control, now, states, { canDispatch: canDispatch && !merging, dispatches, effects: b.dispatch, wake });
  // State labels are created the first time a task is about to carry them.
  const pending = new Set(b.createLabels.flatMap((e) => (e.kind === "createLabels" ? e.labels.map((l) => l.name) : [])));
  const stateLabels = missingLabels(snapshot.repoLabels, [...states.values()].map((s) => s.state)).filter((l) => !pending.has(l.name));
  if (stateLabels.length > 0) b.createLabels.push({ kind: "createLabels", labels: stateLabels });
  for (const task of snapshot.tasks) {
    const effect = projectStateLabels(task, states.get(task.issue.number) as TaskState);
    if (effect) b.setLabels.push(effect);
  }
  b.deleteBranch.push(...staleClaimBranches(snapshot.tasks, states));

  const future = wake.filter((t) => t > now);
  return {
    effects: Object.values(b).flat(),
    states: Object.fromEntries(states),
    wakeAt: future.length > 0 ? Math.min(...future) : null,
    statusRecord: { dispatches },
  };
}

/**
 * Start ready tasks: highest remaining path first, within the repository, milestone and
 * agent caps, never two overlapping scopes at once. The budget gate only holds back new
 * starts; work already under way finishes its loops.
 */
function startReadyTasks(
  snapshot: Snapshot,
  config: ArchitectConfig,
  control: MilestoneControl,
  now: number,
  states: Map<number, TaskState>,
  out: { canDispatch: boolean; dispatches: StatusRecord["dispatches"]; effects: Effect[]; wake: number[] },
): void {
  const ready = snapshot.tasks.filter((t) => states.get(t.issue.number)?.state === "ready");
  if (ready.length === 0) return;
  const hold = (reason: string) => ready.forEach((t) => states.set(t.issue.number, { state: "ready", reason }));
  if (control.approvedBy === null) return hold("waiting for plan approval");
  if (control.paused) return hold("paused");
  if (overBudget(config, control, snapshot)) return hold("waiting for /architect approve (budget)");
  if (!out.canDispatch) return hold("dependencies done; starting on the next look");

  const done = new Set(snapshot.tasks.filter((t) => states.get(t.issue.number)?.state === "done").map((t) => t.marker.key));
  const planOrder = new Map(control.plan.tasks.map((t, i) => [t.key, i]));
  const pathPriority = remainingPathPriority(snapshot.tasks.map((t) => t.marker), done);
  // Picks come back by key: a key duplicated by a copied marker is scheduled once, as its
  // first ready task (mapping both picks to the last one dispatched it twice).
  const byKey = new Map<string, TaskFacts>();
  for (const t of ready) if (!byKey.has(t.marker.key)) byKey.set(t.marker.key, t);
  // The lookahead's picks go first; the caps and scopes below still decide who fits.
  const priority = preferPicks(lookaheadFor(snapshot, config, states, now, [...byKey.keys()], { priority: pathPriority, order: planOrder }), pathPriority);
  const candidates: ScheduleCandidate[] = [...byKey.values()].map((t, i) => ({
    key: t.marker.key,
    agent: agentName(t, config),
    scope: t.marker.scope,
    priority: priority.get(t.marker.key) ?? 0,
    order: planOrder.get(t.marker.key) ?? control.plan.tasks.length + i,
  }));
  const running: RunningTask[] = snapshot.tasks
    .filter((t) => states.get(t.issue.number)?.state === "running")
    .map((t) => ({ key: t.marker.key, agent: agentName(t, config), scope: t.marker.scope }));
  const picked = pickTasksToStart(candidates, running, {
    repo: config.caps.repo,
    runningElsewhere: snapshot.runningElsewhere,
    milestone: config.caps.milestone,
    agentCaps: Object.fromEntries(config.agents.map((a) => [a.name, a.max_concurrent])),
  });
  hold("dependencies done; waiting for a free slot");
  for (const pick of picked) {
    const task = byKey.get(pick.key) as TaskFacts;
    const choice = effectiveAgent(task, config);
    if (!choice.ok) continue; // cannot happen: an unknown agent is needs-human, not ready
    const seq = task.runs.length + 1;
    const branch = claimBranchName(task.issue.number, task.issue.title);
    const claim = claimBase(task, snapshot, branch);
    // A task whose branch went with a failure (then `/architect retry`) counts on from its runs.
    out.effects.push(dispatchEffect({ task, agent: choice.agent, seq, mode: "initial", attempt: attemptsOf(task) + 1, branch, claim }, snapshot));
    out.dispatches[String(task.issue.number)] = { seq, at: now };
    if (choice.agent.kind !== "copilot") out.wake.push(now + config.timeouts.dispatch_grace_minutes * 60_000);
    states.set(task.issue.number, { state: "running", reason: choice.agent.kind === "copilot" ? "assigned to Copilot" : dispatchedReason(seq) });
  }
}

/** `lookaheadPicks` on the milestone as decide sees it, in agent-hours. */
function lookaheadFor(
  snapshot: Snapshot,
  config: ArchitectConfig,
  states: ReadonlyMap<number, TaskState>,
  now: number,
  ready: readonly string[],
  rank: { priority: ReadonlyMap<string, number>; order: ReadonlyMap<string, number> },
): string[] {
  const stateOf = (t: TaskFacts) => states.get(t.issue.number)?.state ?? "";
  // A task in review has had its run; what its dependents wait for is only the merge.
  const finished = new Set(snapshot.tasks.filter((t) => stateOf(t) === "done" || stateOf(t) === "review").map((t) => t.marker.key));
  // Failed, held and cancelled tasks are left out: nothing after them is counted on.
  const open = snapshot.tasks.filter((t) => ["ready", "blocked", "running"].includes(stateOf(t)));
  const running = open
    .filter((t) => stateOf(t) === "running")
    .map((t) => ({ key: t.marker.key, remaining: t.marker.estimate - (now - startedAt(t, snapshot, now)) / HOUR_MS }));
  return lookaheadPicks({
    tasks: open.map((t) => t.marker),
    finished,
    running,
    ready,
    ...rank,
    capacity: Math.min(config.caps.repo - snapshot.runningElsewhere, config.caps.milestone),
  });
}

/** When a running task's current attempt started: its latest run or its newer dispatch; now when neither is known. */
function startedAt(task: TaskFacts, snapshot: Snapshot, now: number): number {
  const run = task.runs.at(-1)?.createdAt;
  const dispatched = snapshot.status?.value.dispatches[String(task.issue.number)]?.at;
  if (run === undefined && dispatched === undefined) return now;
  return Math.max(run ?? Number.NEGATIVE_INFINITY, dispatched ?? Number.NEGATIVE_INFINITY);
}

const HOUR_MS = 3_600_000;

/**
 * Where a new claim branch starts. Normally the default branch; with `advance_on: checks`
 * a task may start while dependencies are green but unmerged, so it starts from one
 * dependency's head and the others are merged in, and the agent builds on their code.
 */
export function claimBase(task: TaskFacts, snapshot: Snapshot, branch: string): { branch: string; sha: string; merge?: string[] } {
  const unmerged = task.marker.dependsOn
    .map((key) => snapshot.tasks.find((t) => t.marker.key === key))
    .filter((t): t is TaskFacts => t !== undefined && t.pull !== null && t.pull.state === "open" && t.branch !== null);
  const [first, ...rest] = unmerged;
  if (!first?.pull) return { branch, sha: snapshot.repo.defaultBranchSha };
  // The default branch is merged in too: dependencies that did merge meanwhile are on it.
  return { branch, sha: first.pull.headSha, merge: [...rest.map((t) => (t.branch as { name: string }).name), snapshot.repo.defaultBranch] };
}

/** A single-issue task whose `agent:<name>` label is gone (and that has no PR yet). */
function unassignedSolo(task: TaskFacts, config: ArchitectConfig): boolean {
  return task.marker.planId === SOLO_PLAN_ID && task.pull === null && !effectiveAgent(task, config).ok;
}

/** Spend (planning and agents) that reached the budget, plus what was approved on top, waits for a person. */
export function overBudget(config: ArchitectConfig, control: MilestoneControl, snapshot: Pick<Snapshot, "tasks">): boolean {
  return budgetReached(config, control.budgetApprovedUsd, milestoneSpend(snapshot, control, config.prices).totalUsd);
}

function agentName(task: TaskFacts, config: ArchitectConfig): string {
  const choice = effectiveAgent(task, config);
  return choice.ok ? choice.agent.name : choice.name;
}

function mergeContext(snapshot: Snapshot, config: ArchitectConfig, control: MilestoneControl, states: Map<number, TaskState>) {
  const done = new Set(snapshot.tasks.filter((t) => states.get(t.issue.number)?.state === "done").map((t) => t.marker.key));
  const issueNumbers = new Map<string, number>();
  for (const t of snapshot.tasks) if (!issueNumbers.has(t.marker.key)) issueNumbers.set(t.marker.key, t.issue.number);
  return { snapshot, config, control, paused: control.paused, done, issueNumbers, botLogin: snapshot.botLogin };
}
