import { decodeMarker } from "../../../src/core/markers/markers.js";
import { taskOutcomes, type TaskOutcome } from "../../../src/harness/run-milestone.js";
import type { Issue, Repo } from "../../../src/sandbox/emulator/model.js";
import { duplicates, worldFacts } from "../../e2e/invariants.js";

/**
 * The 10-task milestone every reliability test runs: two roots, a diamond, a chain four
 * deep and two independent leaves, so dispatches, merges and unblocking interleave.
 * Keys and titles are what the final state is compared on.
 */
export const TEN_TASKS: readonly { key: string; title: string; deps: string[] }[] = [
  { key: "schema", title: "Database schema", deps: [] },
  { key: "config", title: "Configuration loader", deps: [] },
  { key: "repo-layer", title: "Repository layer", deps: ["schema"] },
  { key: "auth", title: "Authentication service", deps: ["schema", "config"] },
  { key: "api", title: "HTTP API", deps: ["repo-layer", "auth"] },
  { key: "cli", title: "Command line client", deps: ["config"] },
  { key: "web", title: "Web pages", deps: ["api"] },
  { key: "e2e", title: "End-to-end tests", deps: ["web", "cli"] },
  { key: "docs", title: "User documentation", deps: [] },
  { key: "metrics", title: "Metrics endpoint", deps: [] },
];

/** A milestone body whose task list is `tasks` (the markdown planner reads it). */
export function taskListBody(tasks: readonly { key: string; title: string; deps: string[] }[]): string {
  const items = tasks.map(
    (t) => `- [ ] \`${t.key}\` ${t.title}\n  - scope: \`src/${t.key}/**\`${t.deps.length > 0 ? `\n  - depends on: ${t.deps.map((d) => `\`${d}\``).join(", ")}` : ""}`,
  );
  return `Reliability suite milestone.\n\n## Tasks\n\n${items.join("\n")}\n`;
}

export const TEN_TASK_BODY = taskListBody(TEN_TASKS);

/** The first six tasks: still a diamond, a chain and a fork, at about half the run time (for many-run property tests). */
export const SIX_TASKS = TEN_TASKS.slice(0, 6);

/** True once every planned task is merged and labelled done. */
export function milestoneDone(milestone: Issue, expected = TEN_TASKS.length): boolean {
  const tasks = taskOutcomes(milestone);
  return tasks.length === expected && tasks.every((t) => t.merged && t.state === "done");
}

/** The comparable end state: per task key, its title, state and merge flag (sorted by key). */
export function finalState(milestone: Issue): string[] {
  return taskOutcomes(milestone)
    .map((t: TaskOutcome) => `${t.key} | ${t.title} | ${t.state} | ${t.merged ? "merged" : "unmerged"}`)
    .sort();
}

/** The state every successful run must reach. */
export function expectedFinalState(tasks: readonly { key: string; title: string }[] = TEN_TASKS): string[] {
  return tasks.map((t) => `${t.key} | ${t.title} | done | merged`).sort();
}

/**
 * Everything that would betray duplicated or lost work, from the world alone: duplicate
 * sub-issues, branches, runs (by title) and bot comments, plus more than one run or more
 * than one PR per task when every agent succeeds first time.
 */
export function duplicateWork(repo: Repo, milestone: Issue): string[] {
  const problems = duplicates(worldFacts(repo, milestone));
  for (const task of milestone.subIssues) {
    if (!decodeMarker("task", task.body)) continue;
    const runs = [...repo.runs.values()].filter((r) => r.inputs.task === String(task.number));
    if (runs.length !== 1) problems.push(`#${task.number} has ${runs.length} agent runs`);
    const pulls = [...repo.pulls.values()].filter((p) => p.headRef.startsWith(`architect/${task.number}-`));
    if (pulls.length !== 1) problems.push(`#${task.number} has ${pulls.length} pull requests`);
  }
  const strayIssues = [...repo.issues.values()].filter((i) => !i.pull && i !== milestone && !milestone.subIssues.includes(i));
  for (const stray of strayIssues) problems.push(`issue #${stray.number} "${stray.title}" is not a sub-issue of the milestone`);
  return problems;
}

/** Poll (real time) until `predicate` holds; false on timeout. */
export async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return predicate();
}
