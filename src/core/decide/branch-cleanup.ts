import type { Effect, TaskState } from "./effects.js";
import type { TaskFacts } from "./snapshot.js";
import { isRunActive, latestRun } from "../task/runs.js";

/**
 * Claim branches whose task has ended: nothing will run on them again, so they are deleted
 * rather than left to pile up (hundreds of `architect/*` branches in a busy repository).
 *
 * - The task's issue is closed: merged (GitHub did not delete the branch already, or the
 *   branch would not be in the snapshot), cancelled or replanned away (closed as not
 *   planned), or closed by a person.
 * - A single-issue run whose agent label was removed (cancelled while open).
 * - Attempts exhausted and no PR was ever opened ("failed" for good). A failed task with an
 *   open PR keeps its branch: the PR is what a person looks at, and deleting the head would
 *   close it. A later `/architect retry` on a task without a branch claims a new one, and
 *   the run count keeps the attempt budget (see unclaimedState).
 *
 * Never while a run of the task is still working on the branch.
 */
export function staleClaimBranches(tasks: readonly TaskFacts[], states: ReadonlyMap<number, TaskState>): Effect[] {
  const out: Effect[] = [];
  for (const task of tasks) {
    if (!task.branch || isRunActive(latestRun(task))) continue;
    const state = states.get(task.issue.number)?.state;
    const ended: Extract<Effect, { kind: "deleteBranch" }>["ended"] | null =
      task.issue.state === "closed"
        ? "closed"
        : state === "cancelled"
          ? "cancelled"
          : state === "failed" && task.pull === null
            ? "failed"
            : null;
    if (ended) out.push({ kind: "deleteBranch", task: task.issue.number, branch: task.branch.name, ended });
  }
  return out;
}
