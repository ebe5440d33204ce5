import type { PlannedTask } from "../plan/plan-schema.js";
import { neutralizeLine, neutralizeText } from "./neutralize.js";

/**
 * The visible part of a task sub-issue: what the agent reads and a person reviews.
 * Everything in a PlannedTask was written by a planner (possibly a model), so every
 * piece of text passes through neutralizeText. The hidden task marker is appended by
 * the caller (decide), which knows the milestone and plan id.
 */
export function renderTaskBody(task: PlannedTask): string {
  const parts: string[] = [];
  const body = neutralizeText(task.body).trim();
  if (body !== "") parts.push(body);

  parts.push("### Acceptance");
  parts.push(
    task.acceptance.length === 0
      ? "_No acceptance criteria were given; the PR description should say how the change was checked._"
      : task.acceptance.map((a) => `- [ ] ${neutralizeLine(a, 500)}`).join("\n"),
  );

  parts.push("### Scope");
  parts.push(
    task.scope.length === 0
      ? "_Not declared: this task is not kept apart from others by file scope._"
      : task.scope.map((glob) => `- ${codeSpan(glob)}`).join("\n"),
  );

  parts.push("### Agent");
  const reason = neutralizeLine(task.agent_reason, 500);
  parts.push(`**${neutralizeLine(task.agent, 32)}**${reason === "" ? "" : ` — ${reason}`}`);

  parts.push(`**Estimate:** ${formatEstimate(task.estimate)}`);
  return parts.join("\n\n");
}

/**
 * A glob shown as code. Globs come from the planner too: backticks and newlines are
 * removed so the span cannot be broken out of; inside a code span nothing else is live.
 */
export function codeSpan(text: string): string {
  const clean = text.replace(/[`\r\n]/g, "").trim();
  return clean === "" ? "` `" : `\`${clean}\``;
}

/** "1 agent-hour", "2.5 agent-hours". */
export function formatEstimate(hours: number): string {
  const rounded = Math.round(hours * 100) / 100;
  return `${rounded} agent-hour${rounded === 1 ? "" : "s"}`;
}
