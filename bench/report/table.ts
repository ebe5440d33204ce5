/**
 * Plain-text tables for the terminal: the benchmark's output is read by people in a CI
 * log or a shell, so columns line up without any dependency.
 */

/** The first `leftColumns` columns (labels) left-aligned, the rest (numbers) right-aligned, a rule under the header. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A ratio as "1.034". */
export const ratio = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : "n/a");

/** A share as "85%". */
export const percent = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "n/a");
