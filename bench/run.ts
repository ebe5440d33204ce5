import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runMakespanBench } from "./makespan/makespan-bench.js";
import { runDecideBench } from "./makespan/decide-bench.js";
import { renderDecide, renderMakespan } from "./makespan/makespan-table.js";
import type { MakespanReport } from "./makespan/makespan-bench.js";
import { benchAdvanceOn, benchMaterialise, benchRequests, benchRoundTrips, benchWebhooks } from "./sandbox/sandbox-bench.js";
import {
  advanceOnSummaryLines,
  materialiseSummaryLines,
  renderAdvanceOn,
  renderMaterialise,
  renderRequests,
  renderRoundTrips,
  renderWebhooks,
  requestsSummaryLines,
  webhooksSummaryLines,
} from "./sandbox/sandbox-tables.js";

/**
 * `npm run bench`: every figure DESIGN.md budgets for, printed as tables and written to
 * bench/results/latest.json so a run can be compared with the last one. Sections can be
 * picked by name (`npm run bench -- makespan`); no argument runs them all.
 */

interface Section {
  name: string;
  /** `summary`: one grep-able line per figure (issue 14's forms), printed again at the end. */
  run(): Promise<{ text: string; json: unknown; summary?: string[] }>;
}

/** Makespan ÷ tight lower bound, per cap, for exact and ±50% estimates. */
function makespanSummary(report: MakespanReport): string[] {
  const caps = [...new Set(report.summaries.map((s) => s.cap))];
  const line = (scheduler: string) => caps.map((cap) => report.summaries.find((s) => s.cap === cap && s.scheduler === scheduler)?.meanRatioToTight.toFixed(3) ?? "n/a").join(" / ");
  const all = report.summaries.filter((s) => s.scheduler === "architect" || s.scheduler === "architect (estimates ±50%)").map((s) => s.meanRatioToTight);
  return [`makespan/tight: exact ${line("architect")}, ±50% ${line("architect (estimates ±50%)")} (caps ${caps.join("/")}; worst ${Math.max(...all).toFixed(3)})`];
}

const sections: Section[] = [
  {
    name: "makespan",
    run: async () => {
      const report = runMakespanBench();
      return { text: renderMakespan(report), json: report, summary: makespanSummary(report) };
    },
  },
  {
    name: "decide",
    run: async () => {
      const rows = runDecideBench();
      return { text: renderDecide(rows), json: rows };
    },
  },
  {
    name: "requests",
    run: async () => {
      const report = await benchRequests();
      return { text: renderRequests(report), json: report, summary: requestsSummaryLines(report) };
    },
  },
  {
    name: "webhooks",
    run: async () => {
      const report = await benchWebhooks();
      return { text: renderWebhooks(report), json: report, summary: webhooksSummaryLines(report) };
    },
  },
  {
    name: "round-trips",
    run: async () => {
      const report = await benchRoundTrips();
      const worst = Math.max(...report.hops.map((h) => h.roundTrips));
      return { text: renderRoundTrips(report), json: report, summary: [`round trips merge->dispatch: ${report.hops.length ? worst : "n/a"} (worst of ${report.hops.length} hops)`] };
    },
  },
  {
    name: "rate-limits",
    run: async () => {
      const { result, errors } = await benchMaterialise();
      return { text: renderMaterialise(result, errors), json: { result, errors }, summary: materialiseSummaryLines(result) };
    },
  },
  {
    name: "advance-on",
    run: async () => {
      const report = await benchAdvanceOn();
      return { text: renderAdvanceOn(report), json: report, summary: advanceOnSummaryLines(report) };
    },
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(", ")}; known: ${sections.map((s) => s.name).join(", ")}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
  // Running one section keeps the others' last figures, each stamped with when it ran.
  const results: Record<string, unknown> = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : {};
  results.node = process.version;
  const ran: string[] = [];
  for (const section of sections.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    const started = performance.now();
    const { text, json, summary = [] } = await section.run();
    console.log(`\n== ${section.name} (${((performance.now() - started) / 1000).toFixed(1)} s) ==\n${text}`);
    results[section.name] = { ranAt: new Date().toISOString(), figures: json, summary };
    ran.push(...summary);
  }
  // Every section's summary lines, the ones not run now from the last time they ran.
  const summary = sections.flatMap((s) => ((results[s.name] as { summary?: string[] } | undefined)?.summary ?? []));
  results.summary = summary;
  console.log(`\n== summary ==\n${ran.join("\n")}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwritten ${out}`);
  // Sandbox timers and keep-alive sockets may linger; the figures are written, so leave.
  process.exit(process.exitCode ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
