import { decodeMarker } from "../core/markers/markers.js";
import type { Issue } from "../sandbox/emulator/model.js";
import { STATE_LABELS } from "../shared/labels.js";
import type { Stack } from "./stack.js";

/** One task as the world (not the app) sees it at the end. */
export interface TaskOutcome {
  number: number;
  key: string;
  title: string;
  /** The bot-owned state label, or "closed"/"open" when none. */
  state: string;
  merged: boolean;
  pull: number | null;
  mergedAt: number | null;
}

export interface MilestoneRun {
  milestone: Issue;
  tasks: TaskOutcome[];
  allDone: boolean;
  /** Sandbox time from the plan command to the last merge. */
  makespanMs: number;
  /** Requests the app made to GitHub, by endpoint. */
  requests: Record<string, number>;
  totalRequests: number;
}

export interface RunMilestoneOptions {
  title: string;
  body: string;
  /** The command comment (default `/architect plan`); null to plan nothing (label-driven runs). */
  command?: string | null;
  /** Who comments it (must have write access to be obeyed). */
  commenter?: string;
  timeoutMs?: number;
  /** Called whenever a task's state changes (for progress output). */
  onChange?: (task: TaskOutcome, previous: string | null) => void;
}

/** The task sub-issues of a milestone, as facts from the emulator's world. */
export function taskOutcomes(milestone: Issue): TaskOutcome[] {
  return milestone.subIssues
    .map((issue): TaskOutcome | null => {
      const marker = decodeMarker("task", issue.body);
      if (!marker) return null;
      const pull = [...issue.repo.issues.values()].map((i) => i.pull).find((p) => p && p.headRef.startsWith(`architect/${issue.number}-`)) ?? null;
      const stateLabel = issue.labels.map((l) => l.name).find((n) => Object.values(STATE_LABELS).some((s) => s.name === n));
      return {
        number: issue.number,
        key: marker.key,
        title: issue.title,
        state: stateLabel ? stateLabel.replace("architect:", "") : issue.state,
        merged: pull?.merged ?? false,
        pull: pull?.issue.number ?? null,
        mergedAt: pull?.mergedAt ?? null,
      };
    })
    .filter((t): t is TaskOutcome => t !== null);
}

/** Open a milestone, ask Architect to plan it, and wait until every task is merged (or time runs out). */
export async function runMilestone(stack: Stack, options: RunMilestoneOptions): Promise<MilestoneRun> {
  const milestone = stack.openMilestone(options.title, options.body);
  const startedAt = stack.clock.now();
  const requestsBefore = stack.sandbox.emulator.requestLog.entries.length;
  if (options.command !== null) stack.comment(milestone, options.command ?? "/architect plan", options.commenter ?? "maintainer");

  const seen = new Map<number, string>();
  const done = () => {
    const tasks = taskOutcomes(milestone);
    for (const task of tasks) {
      const previous = seen.get(task.number) ?? null;
      if (previous !== task.state) {
        seen.set(task.number, task.state);
        options.onChange?.(task, previous);
      }
    }
    return tasks.length > 0 && tasks.every((t) => t.merged && t.state === "done");
  };
  await stack.waitFor(done, options.timeoutMs ?? 60_000);
  await stack.settle(5_000);
  done();

  const tasks = taskOutcomes(milestone);
  const lastMerge = Math.max(startedAt, ...tasks.map((t) => t.mergedAt ?? startedAt));
  const entries = stack.sandbox.emulator.requestLog.entries.slice(requestsBefore).filter((e) => e.actor?.endsWith("[bot]") || e.actor === null);
  const requests: Record<string, number> = {};
  for (const entry of entries) requests[entry.endpoint] = (requests[entry.endpoint] ?? 0) + 1;
  return {
    milestone,
    tasks,
    allDone: tasks.length > 0 && tasks.every((t) => t.merged && t.state === "done"),
    makespanMs: lastMerge - startedAt,
    requests,
    totalRequests: entries.length,
  };
}
