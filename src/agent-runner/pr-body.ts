import { decodeMarker, encodeMarker, MAX_RUN_COSTS, type RunCost } from "../core/markers/markers.js";
import type { RunnerInputs } from "./inputs.js";
import { sanitizeUntrusted } from "./sanitize.js";

/** Facts about this run shown in the PR body. */
export interface RunFacts {
  tool: string;
  /** Link to the workflow run, e.g. `https://github.com/o/r/actions/runs/1`. */
  runUrl: string;
  /** What each run that published to this PR cost, this one last (see mergeRunCosts). */
  costs?: readonly RunCost[];
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
    ...costLines(inputs.runKey, run.costs ?? []),
    ...(inputs.correlationId ? [`Correlation id: \`${inputs.correlationId}\``] : []),
    "",
    encodeMarker("run", {
      task: inputs.task,
      runKey: inputs.runKey,
      ...(inputs.correlationId ? { correlationId: inputs.correlationId } : {}),
      ...(run.costs && run.costs.length > 0 ? { costs: [...run.costs] } : {}),
    }),
  ].join("\n");
}

/** The visible cost line of this run (Architect reads the marker, people read this). */
function costLines(runKey: string, costs: readonly RunCost[]): string[] {
  const cost = costs.find((c) => c.runKey === runKey);
  if (!cost) return [];
  const usd = cost.usd === null ? "priced by Architect" : `$${cost.usd.toFixed(4)}`;
  const model = cost.model ? ` ${cost.model},` : "";
  return [`Cost of this run: ${usd} (${cost.tool},${model} ${cost.inputTokens} input + ${cost.outputTokens} output tokens, ${Math.round(cost.seconds)} s).`];
}

/**
 * The costs to record in a PR body: those already in the open PR's run marker, with this
 * run's replacing any earlier entry of the same run key, capped to the newest entries.
 */
export function mergeRunCosts(previousBody: string | null | undefined, current: RunCost | null): RunCost[] {
  const previous = decodeMarker("run", previousBody)?.costs ?? [];
  const kept = current ? previous.filter((c) => c.runKey !== current.runKey) : [...previous];
  const all = current ? [...kept, current] : kept;
  return all.slice(-MAX_RUN_COSTS);
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
