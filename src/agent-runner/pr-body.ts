import { encodeMarker } from "../core/markers/markers.js";
import type { RunnerInputs } from "./inputs.js";
import { sanitizeUntrusted } from "./sanitize.js";

/** Facts about this run shown in the PR body. */
export interface RunFacts {
  tool: string;
  /** Link to the workflow run, e.g. `https://github.com/o/r/actions/runs/1`. */
  runUrl: string;
}

/**
 * The PR body. `Closes #<task>` links the PR to its task (merging closes it); the hidden
 * run marker tells Architect which task and which run produced the PR, so it never has to
 * trust the title or the branch name alone. No issue or comment text goes in the body.
 */
export function buildPullBody(inputs: RunnerInputs, run: RunFacts): string {
  return [
    `Closes #${inputs.task}`,
    "",
    `Automated change for task #${inputs.task} of milestone #${inputs.milestone}, by agent \`${inputs.agent}\` (${run.tool}), ${inputs.mode} run ${inputs.seq}, attempt ${inputs.attempt}.`,
    `Run: ${run.runUrl}`,
    "",
    encodeMarker("run", { task: inputs.task, runKey: inputs.runKey }),
  ].join("\n");
}

/** The PR title: the task's title (sanitized, one line, within GitHub's 256-character limit). */
export function buildPullTitle(task: number, issueTitle: string): string {
  const title = sanitizeUntrusted(issueTitle, 400).replace(/\s+/g, " ").trim() || `Task #${task}`;
  const full = `${title} (#${task})`;
  return full.length <= 256 ? full : `${title.slice(0, 256 - ` (#${task})`.length - 1)}… (#${task})`;
}

/** The commit message for the agent's changes (ids only; the PR carries the rest). */
export function buildCommitMessage(inputs: RunnerInputs, tool: string): string {
  return `architect: task #${inputs.task} (${inputs.mode} run ${inputs.seq})\n\nAgent: ${inputs.agent} (${tool})\nRun-Key: ${inputs.runKey}\nRefs: #${inputs.task}`;
}
