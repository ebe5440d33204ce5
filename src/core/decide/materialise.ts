import type { PlannedTask } from "../plan/plan-schema.js";
import type { Effect, LabelSpec, TaskState, TaskStateName } from "./effects.js";
import type { MilestoneControl, Snapshot, TaskFacts, TaskMarker } from "./snapshot.js";
import { encodeMarker } from "../markers/markers.js";
import { renderTaskBody } from "../render/task-body.js";
import { STATE_LABELS, TASK_LABEL, TASK_LABEL_SPEC } from "../../shared/labels.js";

/**
 * Keeping GitHub's structure in line with the approved plan: the labels issues need,
 * one sub-issue per planned task, native blocked-by links, and replan edits. Every
 * function compares with the snapshot first, so a pass over a matching world emits nothing.
 */

/** Labels Architect writes that the repository does not have yet. */
export function missingLabels(repoLabels: Readonly<Record<string, string>>, states: Iterable<TaskStateName> = Object.keys(STATE_LABELS) as TaskStateName[]): LabelSpec[] {
  // Only the labels something is about to carry: a repository never sees a label it does not use.
  const wanted = [TASK_LABEL_SPEC, ...[...new Set(states)].map((s) => STATE_LABELS[s])];
  return wanted.filter((l) => !(l.name in repoLabels));
}

/** The states a planned task passes through on the way to merged. */
const PLANNED_PATH: readonly TaskStateName[] = ["blocked", "ready", "running", "review", "done"];

/** Labels a new plan's tasks will carry that the repository lacks: made in one request with the first issues. */
export function labelsForNewTasks(repoLabels: Readonly<Record<string, string>>): LabelSpec[] {
  return missingLabels(repoLabels, PLANNED_PATH);
}

/** The first task issue per key (a duplicate made by hand is ignored, not fought over). */
export function tasksByKey(tasks: readonly TaskFacts[]): Map<string, TaskFacts> {
  const byKey = new Map<string, TaskFacts>();
  for (const t of tasks) if (!byKey.has(t.marker.key)) byKey.set(t.marker.key, t);
  return byKey;
}

/** The marker a planned task's issue should carry. Dependencies outside the plan are dropped. */
export function markerFor(task: PlannedTask, control: MilestoneControl, milestone: number): TaskMarker {
  const keys = new Set(control.plan.tasks.map((t) => t.key));
  return {
    milestone,
    planId: control.planId,
    key: task.key,
    dependsOn: task.depends_on.filter((k) => keys.has(k) && k !== task.key),
    agent: task.agent,
    scope: task.scope,
    estimate: task.estimate,
  };
}

/** The issue body for a planned task: readable markdown, then the hidden marker. */
export function taskBodyFor(task: PlannedTask, control: MilestoneControl, milestone: number): string {
  return `${renderTaskBody(task)}\n\n${encodeMarker("task", markerFor(task, control, milestone))}`;
}

/** A `createTask` for each planned key with no issue yet (removed keys stay removed). */
export function createMissingTasks(snapshot: Snapshot, control: MilestoneControl): Effect[] {
  const existing = tasksByKey(snapshot.tasks);
  const removed = new Set(control.removedKeys);
  return control.plan.tasks
    .filter((t) => !existing.has(t.key) && !removed.has(t.key))
    .map((t) => ({
      kind: "createTask" as const,
      key: t.key,
      title: t.title,
      body: taskBodyFor(t, control, snapshot.milestone.number),
      labels: [TASK_LABEL, (markerFor(t, control, snapshot.milestone.number).dependsOn.length === 0 ? STATE_LABELS.ready : STATE_LABELS.blocked).name],
    }));
}

/** A `linkBlockedBy` for each dependency that has an issue but no native link yet. */
export function missingLinks(tasks: readonly TaskFacts[]): Effect[] {
  const byKey = tasksByKey(tasks);
  const effects: Effect[] = [];
  for (const task of tasks) {
    if (task.issue.state !== "open") continue;
    for (const key of task.marker.dependsOn) {
      const blocker = byKey.get(key);
      if (!blocker || blocker === task || task.blockedBy.includes(blocker.issue.number)) continue;
      effects.push({
        kind: "linkBlockedBy",
        task: task.issue.number,
        taskNodeId: task.issue.nodeId,
        blocker: blocker.issue.number,
        blockerId: blocker.issue.id,
        blockerNodeId: blocker.issue.nodeId,
      });
    }
  }
  return effects;
}

const STARTED = new Set<TaskState["state"]>(["running", "review", "done"]);

/**
 * Replan: open tasks the plan no longer has are closed as not planned, unless work on
 * them already started (a person decides about those). Unstarted tasks whose definition
 * changed are rewritten. Returns the effects and the tasks it closes.
 */
export function replanEffects(
  snapshot: Snapshot,
  control: MilestoneControl,
  states: ReadonlyMap<number, TaskState>,
): { updates: Effect[]; closes: Effect[]; closed: number[] } {
  const planned = new Map(control.plan.tasks.map((t) => [t.key, t]));
  const removed = new Set(control.removedKeys);
  const updates: Effect[] = [];
  const closes: Effect[] = [];
  const closed: number[] = [];
  for (const task of snapshot.tasks) {
    if (task.issue.state !== "open") continue;
    const state = states.get(task.issue.number)?.state;
    const plan = planned.get(task.marker.key);
    if (!plan || removed.has(task.marker.key)) {
      if (state !== undefined && STARTED.has(state)) continue;
      closes.push({ kind: "closeIssue", issue: task.issue.number, issueNodeId: task.issue.nodeId, reason: "not_planned" });
      closed.push(task.issue.number);
      continue;
    }
    if (task.branch || task.pull || (state !== undefined && STARTED.has(state))) continue;
    const want = markerFor(plan, control, snapshot.milestone.number);
    if (plan.title === task.issue.title && sameDefinition(want, task.marker)) continue;
    updates.push({
      kind: "updateTask",
      issue: task.issue.number,
      issueNodeId: task.issue.nodeId,
      title: plan.title,
      body: taskBodyFor(plan, control, snapshot.milestone.number),
    });
  }
  return { updates, closes, closed };
}

/** Same dependencies, agent, scope and estimate (a new plan id alone is not a change worth a write). */
function sameDefinition(a: TaskMarker, b: TaskMarker): boolean {
  const sameSet = (x: readonly string[], y: readonly string[]) => x.length === y.length && [...x].sort().join("\n") === [...y].sort().join("\n");
  return a.agent === b.agent && a.estimate === b.estimate && sameSet(a.dependsOn, b.dependsOn) && sameSet(a.scope, b.scope);
}
