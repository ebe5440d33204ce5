import { formatTable, percent, ratio } from "../report/table.js";
import type { DecideSummary } from "./decide-bench.js";
import type { MakespanReport } from "./makespan-bench.js";

/** The makespan section of the printed report: one row per cap and scheduler, then where the gap lives. */
export function renderMakespan(report: MakespanReport): string {
  const rows = report.summaries.map((s) => [
    String(s.cap),
    s.scheduler,
    ratio(s.meanRatio),
    ratio(s.maxRatio),
    percent(s.within5),
    ratio(s.meanRatioToBest),
    ratio(s.meanRatioToTight),
    percent(s.within5Tight),
  ]);
  const main = formatTable(["cap", "scheduler", "mean ÷bound", "max ÷bound", "≤5% of bound", "mean ÷best", "mean ÷tight", "≤5% of tight"], rows, 2);
  const reach = Object.entries(report.reachable).map(([cap, share]) => `cap ${cap}: ${percent(share)}`).join(", ");
  const shapes = formatTable(
    ["cap", "shape", "dags", "architect ÷bound", "architect ÷tight"],
    report.byShape.map((s) => [String(s.cap), s.shape, String(s.dags), ratio(s.meanRatio), ratio(s.meanRatioToTight)]),
    2,
  );
  const { options } = report;
  return [
    `Makespan: ${options.dagCount} seeded random DAGs (seed ${options.seed}, ${options.minSize}–${options.maxSize} tasks, durations 1–10), bound = max(critical path, work ÷ cap)`,
    main,
    `DAGs where some scheduler gets within 5% of the bound: ${reach}`,
    "",
    shapes,
  ].join("\n");
}

/** The decide section: how often the full decision loop matches the pure scheduler. */
export function renderDecide(rows: readonly DecideSummary[]): string {
  return [
    `decide pass by pass (one pass = one reconcile; CI and review instant) on the first ${rows[0]?.dags ?? 0} DAGs`,
    formatTable(
      ["cap", "variant", "= pure sim", "slower", "mean ÷pure", "mean ÷bound"],
      rows.map((r) => [String(r.cap), r.variant, percent(r.agree), percent(r.slower), ratio(r.meanRatioToPure), ratio(r.meanRatioToBound)]),
      2,
    ),
  ].join("\n");
}
