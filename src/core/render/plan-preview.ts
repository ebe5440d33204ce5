import { buildGraph, criticalPath } from "../dag/graph.js";
import type { Plan, PlannedTask, PlanIssue, PlanUsage } from "../plan/plan-schema.js";
import { formatUsd, renderAlert, renderUsageTable, tableCell } from "./format.js";
import { edgesFromDependencies, renderMermaid } from "./mermaid.js";
import { neutralizeText } from "./neutralize.js";
import { codeSpan, formatEstimate, renderTaskBody } from "./task-body.js";

/**
 * What a person reviews before approving a plan: the graph, a table of tasks, the
 * planner's rationale, what planning cost, and how to approve. All of it was written by
 * a planner (possibly a model), so text is neutralised; the caller appends the control
 * marker. Task details are included only up to a size budget, because a GitHub comment
 * holds at most 65 536 characters and the control marker shares it.
 */

/** What the approver needs to judge a plan: the plan itself, its cost and whether approval is pending. */
export interface PlanPreviewInput {
  plan: Plan;
  /** Model use for this plan (all attempts); empty for the markdown planner. */
  usage: readonly PlanUsage[];
  /** Validation warnings (e.g. overlapping scopes) or already-worded notes. */
  warnings: readonly (PlanIssue | string)[];
  /** True while `/architect approve` is needed before sub-issues are created. */
  approvalRequired: boolean;
  /** Estimated cost in USD shown to the approver; 0 hides the line. */
  estimatedUsd: number;
  /** Characters the folded task details may use (default 20,000); the caller shrinks it when the comment also carries a large marker. */
  detailsBudget?: number;
  /** Leave out the graph and the details (a large plan whose stored form is near the comment limit). */
  compact?: boolean;
}

/** Characters of task details (bodies, acceptance) the preview may hold. */
const DETAILS_BUDGET = 20_000;
const BODY_PREVIEW = 1_500;

/** Render a plan for review. */
export function renderPlanPreview(input: PlanPreviewInput): string {
  const { plan } = input;
  const n = plan.tasks.length;
  const parts = [`### Architect plan · ${n} task${n === 1 ? "" : "s"}`];
  const rationale = neutralizeText(plan.rationale, { maxLength: 2_000 }).trim();
  if (rationale) parts.push(rationale);
  const warnings = renderAlert(
    "WARNING",
    input.warnings.map((w) => (typeof w === "string" ? w : `${w.path ? `${codeSpan(w.path)}: ` : ""}${w.message}`)),
  );
  if (warnings) parts.push(warnings);
  parts.push(workLine(plan.tasks));
  if (n > 0 && input.compact) {
    parts.push(taskTable(plan.tasks));
    parts.push("_The graph and task details are left out: this plan is near GitHub's comment size limit. Each sub-issue has its full text._");
  } else if (n > 0) {
    parts.push(
      renderMermaid(
        plan.tasks.map((t) => ({ key: t.key, title: t.title, state: t.depends_on.length === 0 ? "ready" : "blocked" })),
        edgesFromDependencies(plan.tasks.map((t) => ({ key: t.key, dependsOn: t.depends_on }))),
      ),
    );
    parts.push(taskTable(plan.tasks));
    parts.push(taskDetails(plan.tasks, input.detailsBudget));
  }
  const costs: string[] = [];
  if (input.usage.length > 0) costs.push(`**Planning cost**\n\n${renderUsageTable(input.usage)}`);
  if (input.estimatedUsd > 0) costs.push(`**Estimated cost:** about ${formatUsd(input.estimatedUsd)}`);
  parts.push(...costs);
  if (input.approvalRequired) {
    parts.push(`**Waiting for approval.** Comment \`/architect approve\` to create ${n} sub-issue${n === 1 ? "" : "s"}.`);
  }
  return parts.join("\n\n");
}

/** Total work and the critical path (by estimate), the two numbers that bound the finish. */
function workLine(tasks: readonly PlannedTask[]): string {
  const hours = tasks.reduce((sum, t) => sum + t.estimate, 0);
  const estimate = new Map(tasks.map((t) => [t.key, t.estimate]));
  const path = criticalPath(buildGraph(tasks), (k) => estimate.get(k) ?? 1);
  const pathHours = path.reduce((sum, k) => sum + (estimate.get(k) ?? 0), 0);
  const pathText = path.length === 0 ? "" : ` · **Critical path:** ${path.map(codeSpan).join(" → ")} (${formatEstimate(pathHours)})`;
  return `**Work:** ${formatEstimate(hours)}${pathText}`;
}

function taskTable(tasks: readonly PlannedTask[]): string {
  const rows = tasks.map((t) =>
    [
      codeSpan(t.key),
      tableCell(t.title),
      t.depends_on.length === 0 ? "—" : t.depends_on.map(codeSpan).join(", "),
      `${tableCell(t.agent, 32)}${t.agent_reason ? ` — ${tableCell(t.agent_reason, 80)}` : ""}`,
      t.scope.length === 0 ? "_any_" : t.scope.map((s) => codeSpan(s).replace(/\|/g, "\\|")).join(", "),
      formatEstimate(t.estimate),
    ].join(" | "),
  );
  return ["| task | title | depends on | agent | scope | estimate |", "| --- | --- | --- | --- | --- | --- |", ...rows.map((r) => `| ${r} |`)].join("\n");
}

/** Each task's body as its sub-issue will show it, folded, until the size budget runs out. */
function taskDetails(tasks: readonly PlannedTask[], budget = DETAILS_BUDGET): string {
  const sections: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const t of tasks) {
    const body = renderTaskBody({ ...t, body: t.body.length > BODY_PREVIEW ? `${t.body.slice(0, BODY_PREVIEW)}…` : t.body });
    const section = `#### ${codeSpan(t.key)} ${tableCell(t.title, 200)}\n\n${body}`;
    if (used + section.length > budget) {
      omitted++;
      continue;
    }
    used += section.length;
    sections.push(section);
  }
  if (omitted > 0) sections.push(`_${omitted} more task${omitted === 1 ? "" : "s"} not shown here (comment size limit); their sub-issues will have the full text._`);
  return ["<details><summary>Task details</summary>", "", ...sections.flatMap((s) => [s, ""]), "</details>"].join("\n");
}

/** How a replan changes the previous plan. Done tasks are always kept as they are. */
export interface PlanDiff {
  added: string[];
  /** Open tasks that the new plan drops: their issues are closed as not planned. */
  removed: string[];
  /** Open tasks whose definition changed, with the fields that differ. */
  changed: { key: string; fields: string[] }[];
  /** Unchanged tasks, and every done task (whatever the new plan says about it). */
  kept: string[];
}

const COMPARED: readonly (keyof PlannedTask)[] = ["title", "body", "acceptance", "depends_on", "agent", "labels", "scope", "estimate"];

/** Compare two plans by task key. */
export function diffPlans(oldPlan: Plan, newPlan: Plan, doneKeys: readonly string[]): PlanDiff {
  const done = new Set(doneKeys);
  const before = new Map(oldPlan.tasks.map((t) => [t.key, t]));
  const after = new Map(newPlan.tasks.map((t) => [t.key, t]));
  const diff: PlanDiff = { added: [], removed: [], changed: [], kept: [] };
  for (const t of newPlan.tasks) {
    const old = before.get(t.key);
    if (!old) {
      diff.added.push(t.key);
      continue;
    }
    const fields = COMPARED.filter((f) => JSON.stringify(old[f]) !== JSON.stringify(t[f]));
    if (fields.length === 0 || done.has(t.key)) diff.kept.push(t.key);
    else diff.changed.push({ key: t.key, fields: fields.map(String) });
  }
  for (const t of oldPlan.tasks) {
    if (after.has(t.key)) continue;
    if (done.has(t.key)) diff.kept.push(t.key);
    else diff.removed.push(t.key);
  }
  return diff;
}

/**
 * The replan summary shown under the new preview. Done and started (running) tasks are
 * both kept as they are, and each is named for what it is.
 */
export function renderPlanDiff(oldPlan: Plan, newPlan: Plan, doneKeys: readonly string[], startedKeys: readonly string[] = []): string {
  const diff = diffPlans(oldPlan, newPlan, [...doneKeys, ...startedKeys]);
  const done = new Set(doneKeys);
  const started = new Set(startedKeys.filter((k) => !done.has(k)));
  const keys = (list: readonly string[]) => (list.length === 0 ? "none" : list.map(codeSpan).join(", "));
  const lines = [
    "#### Changes from the previous plan",
    "",
    `- **added:** ${keys(diff.added)}`,
    `- **removed** (closed as not planned): ${keys(diff.removed)}`,
    `- **changed:** ${diff.changed.length === 0 ? "none" : diff.changed.map((c) => `${codeSpan(c.key)} (${c.fields.join(", ")})`).join(", ")}`,
    `- **kept:** ${keys(diff.kept)}`,
  ];
  const frozen = diff.kept.filter((k) => done.has(k));
  if (frozen.length > 0) lines.push("", `Done tasks are never changed or reopened: ${keys(frozen)}.`);
  const running = diff.kept.filter((k) => started.has(k));
  if (running.length > 0) lines.push("", `Started tasks keep their plan while their work is under way: ${keys(running)}.`);
  return lines.join("\n");
}
