import type { Plan, PlanIssue, PlanUsage } from "../core/plan/plan-schema.js";
import { edgesFromDependencies, renderMermaid } from "../core/render/mermaid.js";
import { totalUsage } from "../planners/cost.js";

/**
 * The CLI's view of a plan: Markdown (a task table, the Mermaid graph, warnings, cost),
 * readable in a terminal and pasteable into an issue to check how GitHub will show it.
 */
export function renderPlanForCli(input: { plan: Plan; provider: string; warnings: readonly PlanIssue[]; usage: readonly PlanUsage[]; unpriced: readonly string[] }): string {
  const { plan } = input;
  const lines = [`# Plan from ${input.provider}: ${plan.tasks.length} task${plan.tasks.length === 1 ? "" : "s"}`, ""];
  if (plan.rationale.trim()) lines.push(oneLine(plan.rationale, 2_000), "");
  lines.push("| # | key | title | depends on | agent | scope | estimate |", "| --- | --- | --- | --- | --- | --- | --- |");
  plan.tasks.forEach((t, i) => {
    const cells = [
      String(i + 1),
      t.key,
      oneLine(t.title, 80),
      t.depends_on.join(", ") || "—",
      t.agent,
      t.scope.join(", ") || "—",
      String(t.estimate),
    ];
    lines.push(`| ${cells.map(cell).join(" | ")} |`);
  });
  lines.push("");
  const nodes = plan.tasks.map((t) => ({ key: t.key, title: t.title, state: t.depends_on.length === 0 ? ("ready" as const) : ("blocked" as const) }));
  lines.push(renderMermaid(nodes, edgesFromDependencies(plan.tasks.map((t) => ({ key: t.key, dependsOn: t.depends_on })))), "");
  if (input.warnings.length > 0) {
    lines.push("Warnings:", ...input.warnings.map((w) => `- ${w.path || "plan"}: ${oneLine(w.message, 500)}`), "");
  }
  lines.push(costLine(input.usage, input.unpriced));
  return lines.join("\n");
}

/** Every provider's reason, so a person sees why each one gave no plan. */
export function renderFailuresForCli(failures: readonly { provider: string; reason: string }[]): string {
  return ["No valid plan.", ...failures.map((f) => `\n[${f.provider}] ${f.reason}`)].join("\n");
}

function costLine(usage: readonly PlanUsage[], unpriced: readonly string[]): string {
  if (usage.length === 0) return "Cost: none (no model was called).";
  const total = totalUsage(usage);
  const unknown = unpriced.length > 0 ? ` (no price configured for ${unpriced.join(", ")})` : "";
  return `Cost: ${total.inputTokens} input + ${total.outputTokens} output tokens, $${total.usd.toFixed(6)}${unknown}.`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
