import type { ArchitectConfig } from "../config/config-schema.js";
import { buildGraph, criticalPath } from "../dag/graph.js";
import type { TaskState, TaskStateName } from "../decide/effects.js";
import type { Snapshot } from "../decide/snapshot.js";
import type { PlanUsage } from "../plan/plan-schema.js";
import { formatUsd, renderAlert, renderUsageTable, sumUsage, tableCell } from "./format.js";
import { edgesFromDependencies, renderMermaid } from "./mermaid.js";
import { codeSpan, formatEstimate } from "./task-body.js";
import { budgetReached, milestoneSpend, taskSpend, type MilestoneSpend } from "../cost/spend.js";

/**
 * The sticky status comment on a milestone: what people look at to know where things
 * stand. It is re-rendered on every reconcile and only written when the text changes, so
 * it must be a pure function of the facts (no times, no counters that drift).
 * The caller appends the hidden status marker.
 */

/** The name of the check Architect publishes; branch protection should require it. */
export const DAG_CHECK_NAME = "architect/dag";

/** One task as the status comment shows it. */
export interface StatusTaskRow {
  number: number;
  key: string;
  title: string;
  agent: string;
  state: TaskStateName;
  reason: string;
  /** The task's PR number, if one was opened. */
  pull: number | null;
  dependsOn: readonly string[];
  estimate: number;
  /** What the task's agent runs cost so far (reported runs only); null when none reported. */
  costUsd?: number | null;
}

/** Everything the status comment shows, flattened so it can be rendered (and tested) without a Snapshot. */
export interface StatusCommentInput {
  tasks: readonly StatusTaskRow[];
  /** Things a person should fix or know (unprotected branch, paused, budget…), already worded. */
  warnings: readonly string[];
  /** Model use per plan; omitted or empty → no cost section. */
  usage?: readonly PlanUsage[];
  /** Planning plus agent spend; shown when any agent run reported a cost. */
  spend?: MilestoneSpend;
}

/** Order and wording of the summary line; `done` leads as "x/n done". */
const SUMMARY: readonly [TaskStateName, string][] = [
  ["running", "running"],
  ["review", "in review"],
  ["ready", "ready"],
  ["blocked", "blocked"],
  ["held", "on hold"],
  ["failed", "failed"],
  ["needs-human", "need a human"],
  ["cancelled", "cancelled"],
];

const STATE_BADGE: Record<TaskStateName, string> = {
  blocked: "⏳ blocked",
  ready: "🟢 ready",
  running: "🔄 running",
  review: "👀 review",
  done: "✅ done",
  failed: "❌ failed",
  "needs-human": "🙋 needs human",
  held: "⏸️ held",
  cancelled: "🚫 cancelled",
};

/** Render the milestone's status comment. */
export function renderStatusComment(input: StatusCommentInput): string {
  const parts = ["### Architect status", summaryLine(input.tasks)];
  const alert = renderAlert("WARNING", input.warnings);
  if (alert) parts.push(alert);
  const path = criticalPathLine(input.tasks);
  if (path) parts.push(path);
  if (input.tasks.length > 0) {
    parts.push(
      renderMermaid(
        input.tasks.map((t) => ({ key: t.key, title: t.title, state: t.state, number: t.number })),
        edgesFromDependencies(input.tasks),
      ),
    );
    parts.push(taskTable(input.tasks));
  }
  const spend = input.spend;
  if (spend && (spend.agentsUsd > 0 || spend.unpriced.length > 0 || input.tasks.some((t) => t.costUsd != null))) {
    const missing = spend.unpriced.length > 0 ? ` Runs of ${spend.unpriced.map((m) => codeSpan(m)).join(", ")} have no price: add it under \`prices\`.` : "";
    parts.push(`**Cost:** ${formatUsd(spend.totalUsd)} in total: planning ${formatUsd(spend.planningUsd)}, agents ${formatUsd(spend.agentsUsd)}.${missing}`);
  }
  const usage = input.usage ?? [];
  if (usage.length > 0) parts.push(`**Model use:** ${formatUsd(sumUsage(usage).usd)} in total\n\n${renderUsageTable(usage)}`);
  parts.push("<sub>Updated by Architect on every change. Comment `/architect help` for commands.</sub>");
  return parts.join("\n\n");
}

/** "**3/7 done** · 2 running · 1 in review · 1 blocked". Cancelled tasks do not count toward the total. */
export function summaryLine(tasks: readonly { state: TaskStateName }[]): string {
  if (tasks.length === 0) return "_No tasks yet._";
  const count = (s: TaskStateName) => tasks.filter((t) => t.state === s).length;
  const total = tasks.length - count("cancelled");
  const rest = SUMMARY.filter(([s]) => count(s) > 0).map(([s, word]) => `${count(s)} ${word}`);
  return [`**${count("done")}/${total} done**`, ...rest].join(" · ");
}

/** The heaviest chain of unfinished work, which bounds how soon the milestone can finish. */
function criticalPathLine(tasks: readonly StatusTaskRow[]): string | null {
  const finished = new Set(tasks.filter((t) => t.state === "done" || t.state === "cancelled").map((t) => t.key));
  const estimate = new Map(tasks.map((t) => [t.key, t.estimate]));
  const weight = (key: string) => (finished.has(key) ? 0 : (estimate.get(key) ?? 1));
  const path = criticalPath(buildGraph(tasks), weight).filter((k) => !finished.has(k));
  if (path.length === 0) return null;
  const hours = path.reduce((sum, k) => sum + weight(k), 0);
  return `**Critical path:** ${path.map(codeSpan).join(" → ")} (${formatEstimate(hours)} left)`;
}

function taskTable(tasks: readonly StatusTaskRow[]): string {
  // The cost column appears once any agent run reported a cost.
  const withCost = tasks.some((t) => t.costUsd != null);
  const rows = tasks.map((t) =>
    [
      `#${t.number}`,
      codeSpan(t.key),
      tableCell(t.title),
      tableCell(t.agent, 32),
      STATE_BADGE[t.state],
      tableCell(t.reason, 200),
      t.pull === null ? "" : `#${t.pull}`,
      ...(withCost ? [t.costUsd == null ? "" : formatUsd(t.costUsd)] : []),
    ].join(" | "),
  );
  const header = withCost
    ? ["| # | task | title | agent | state | why | PR | cost |", "| --- | --- | --- | --- | --- | --- | --- | ---: |"]
    : ["| # | task | title | agent | state | why | PR |", "| --- | --- | --- | --- | --- | --- | --- |"];
  return [...header, ...rows.map((r) => `| ${r} |`)].join("\n");
}

/**
 * The rows for a snapshot and a decision's states. A task that decide gave no state
 * (should not happen) shows as blocked rather than disappearing.
 */
export function statusRowsFromSnapshot(snapshot: Snapshot, states: Readonly<Record<number, TaskState>>, prices: ArchitectConfig["prices"] = {}): StatusTaskRow[] {
  return snapshot.tasks.map((t) => {
    const spend = taskSpend(t, prices);
    const s = states[t.issue.number] ?? { state: "blocked" as const, reason: "not evaluated yet" };
    return {
      number: t.issue.number,
      key: t.marker.key,
      title: t.issue.title,
      agent: t.marker.agent,
      state: s.state,
      reason: s.reason,
      pull: t.pull?.number ?? null,
      dependsOn: t.marker.dependsOn,
      estimate: t.marker.estimate,
      costUsd: spend.runs > 0 ? spend.usd : null,
    };
  });
}

/**
 * Warnings that follow from the snapshot and config alone: missing protection, the DAG
 * check not required (then nothing stops an out-of-order merge), paused, waiting for
 * plan approval, budget reached. Callers add their own (e.g. config problems).
 */
export function statusWarnings(snapshot: Snapshot, config: ArchitectConfig): string[] {
  const out: string[] = [];
  const branch = codeSpan(snapshot.repo.defaultBranch);
  const protection = snapshot.repo.protection;
  if (protection === null) out.push(`Branch protection of ${branch} could not be read; run \`/architect doctor\`.`);
  else if (!protection.enabled) out.push(`The default branch ${branch} is not protected: PRs can be merged out of dependency order.`);
  else if (!protection.requiredChecks.includes(DAG_CHECK_NAME)) {
    out.push(`${codeSpan(DAG_CHECK_NAME)} is not a required check on ${branch}: people can merge task PRs out of order.`);
  }
  const control = snapshot.control?.value;
  if (control) {
    if (control.paused) out.push("Paused: no new agent runs start until `/architect resume`.");
    if (control.approvedBy === null) out.push("Waiting for plan approval: comment `/architect approve` to create the sub-issues.");
    const spent = milestoneSpend(snapshot, control, config.prices).totalUsd;
    if (budgetReached(config, control.budgetApprovedUsd, spent)) {
      out.push(`Budget reached (${formatUsd(spent)} of ${formatUsd(config.budget.usd + control.budgetApprovedUsd)}): comment \`/architect approve\` to continue.`);
    }
  }
  return out;
}
