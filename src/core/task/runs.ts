import type { ArchitectConfig } from "../config/config-schema.js";
import type { MilestoneControl, RunFacts, TaskFacts } from "../decide/snapshot.js";

/**
 * Counting a task's agent runs. Attempts (initial and retry runs) are bounded by
 * `retries.max_attempts` plus grants; review runs answer a reviewer and are bounded
 * separately by `reviews.max_review_cycles`.
 */

/** The most recent run (runs are oldest first), or null. */
export function latestRun(task: TaskFacts): RunFacts | null {
  return task.runs.at(-1) ?? null;
}

/** A run that has not finished yet still holds the task. */
export function isRunActive(run: RunFacts | null): boolean {
  return run !== null && run.status !== "completed";
}

/** Attempts used: runs that tried to do the task (not runs that answered a review). */
export function attemptsOf(task: TaskFacts): number {
  return task.runs.filter((r) => r.key.mode === "initial" || r.key.mode === "retry").length;
}

/** Review cycles used. */
export function reviewCyclesOf(task: TaskFacts): number {
  return task.runs.filter((r) => r.key.mode === "review").length;
}

/** Attempts allowed: the configured maximum plus what `/architect retry` granted for this key. */
export function allowedAttempts(task: TaskFacts, config: ArchitectConfig, control: MilestoneControl | null): number {
  return config.retries.max_attempts + (control?.retryGrants[task.marker.key] ?? 0);
}

/** The highest run sequence number seen (0 when there are no runs). */
export function maxRunSeq(task: TaskFacts): number {
  return Math.max(0, ...task.runs.map((r) => r.key.seq));
}

/** One entry of the status record: which run sequence was dispatched for a task, and when. */
export interface DispatchRecord {
  seq: number;
  at: number;
  resent?: boolean;
}

/**
 * The dispatch whose run has not appeared yet, or null. A record is pending while no run
 * carries its sequence number; a record older than the newest run is history, not a wait.
 */
export function pendingDispatch(task: TaskFacts, record: DispatchRecord | undefined): DispatchRecord | null {
  if (!record) return null;
  if (record.seq <= maxRunSeq(task)) return null;
  return task.runs.some((r) => r.key.seq === record.seq) ? null : record;
}

/**
 * The latest run finished after the snapshot's read of PRs began, so its push or PR may be
 * missing from that read (runs are listed after the PRs). Judging it now would retry a
 * run that succeeded; the next read settles it.
 */
export function finishedAfterRead(task: TaskFacts, observedAt: number | undefined): boolean {
  const latest = latestRun(task);
  return observedAt !== undefined && latest !== null && latest.status === "completed" && latest.updatedAt >= observedAt;
}
