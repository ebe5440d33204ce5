import type { PlanUsage } from "../plan/plan-schema.js";
import { neutralizeLine } from "./neutralize.js";

/**
 * Small formatting helpers shared by the comment renderers. They are deterministic (no
 * locale-dependent formatting) so an unchanged world renders to an unchanged comment.
 */

/** 1234567 → "1,234,567" without depending on the runtime's locale data. */
export function formatCount(n: number): string {
  const whole = Math.round(n).toString();
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Dollars: four decimals below a dollar (planning costs are cents), two above. An amount
 * too small for four decimals is "< $0.0001", never "$0.0000" (which reads as nothing).
 */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.00005) return "< $0.0001";
  return `$${usd.toFixed(Math.abs(usd) < 1 ? 4 : 2)}`;
}

/** One table cell of untrusted text: one line, neutralised, pipes escaped. */
export function tableCell(text: string, maxLength = 120): string {
  const cell = neutralizeLine(text, maxLength).replace(/\|/g, "\\|");
  return cell === "" ? " " : cell;
}

/** Sum of token use and cost over several plans or attempts. */
export function sumUsage(usage: readonly PlanUsage[]): { inputTokens: number; outputTokens: number; usd: number } {
  return usage.reduce(
    (acc, u) => ({ inputTokens: acc.inputTokens + u.inputTokens, outputTokens: acc.outputTokens + u.outputTokens, usd: acc.usd + u.usd }),
    { inputTokens: 0, outputTokens: 0, usd: 0 },
  );
}

/** A table of model use, one row per plan (or attempt) and a total row. Empty input → "". */
export function renderUsageTable(usage: readonly PlanUsage[]): string {
  if (usage.length === 0) return "";
  const total = sumUsage(usage);
  const rows = usage.map(
    (u) => `| ${tableCell(u.provider, 40)} | ${tableCell(u.model, 60)} | ${formatCount(u.inputTokens)} | ${formatCount(u.outputTokens)} | ${formatUsd(u.usd)} |`,
  );
  return [
    "| provider | model | input tokens | output tokens | cost |",
    "| --- | --- | ---: | ---: | ---: |",
    ...rows,
    `| **total** | | ${formatCount(total.inputTokens)} | ${formatCount(total.outputTokens)} | **${formatUsd(total.usd)}** |`,
  ].join("\n");
}

/** A GitHub alert block listing lines (empty list → ""). */
export function renderAlert(kind: "NOTE" | "WARNING", lines: readonly string[]): string {
  if (lines.length === 0) return "";
  return [`> [!${kind}]`, ...lines.map((l) => `> - ${neutralizeLine(l, 500)}`)].join("\n");
}
