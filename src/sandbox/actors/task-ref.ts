import { decodeMarker } from "../../core/markers/markers.js";
import type { TaskMarker } from "../../core/decide/snapshot.js";
import { closingReferences } from "../emulator/state.js";
import type { Issue, PullRequest, Repo } from "../emulator/model.js";

/** The task marker in a task issue's body, if any. */
export function taskMarkerOf(issue: Issue | undefined): TaskMarker | null {
  return issue ? decodeMarker("task", issue.body) : null;
}

/** Which task a PR works on: its run marker, else the first closing reference. */
export function taskOfPull(repo: Repo, pull: PullRequest): { task: number; key: string | null } | null {
  const run = decodeMarker("run", pull.issue.body);
  const task = run?.task ?? closingReferences(pull.issue.body)[0];
  if (task === undefined) return null;
  return { task, key: taskMarkerOf(repo.issues.get(task))?.key ?? null };
}

/**
 * A file path inside the task's declared scope, so the change respects it: the literal
 * prefix of the first glob plus `<key>.md`, or `work/<task>.md` without a scope.
 */
export function pathInScope(scope: string[] | undefined, task: number, key: string | null): string {
  const name = `${key ?? `task-${task}`}.md`;
  const first = scope?.[0];
  if (!first) return `work/${task}.md`;
  if (!/[*?[{]/.test(first)) return first;
  const prefix = first.slice(0, first.search(/[*?[{]/)).replace(/[^/]*$/, "");
  return `${prefix}${name}`;
}
